"""The view's routes: HTML pages (``/``, ``/articles``, ``/articles/<id>``, ``/runs``) and the same as JSON
(``/api/...``). Every route only reads; stored strings reach the page through Jinja's autoescaping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from math import ceil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from crawler.extraction.explain import Block, explain_page
from crawler.urls import site_of
from pipelines.storage import articles, browse, runs
from pipelines.storage.models import Article

from . import health
from .diff import word_diff
from .rawpages import RawPages
from .records import article_detail, article_summary, block_records, run_record, site_record

PER_PAGE = 50
RUNS_SHOWN = 20
TEMPLATES = Path(__file__).resolve().parent / "templates"
# Defence in depth: even a stored string that escaped escaping could not run a script.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


@dataclass
class View:
    sessions: sessionmaker[Session]
    raw_pages: RawPages | None = None


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["href"] = lambda url: url if isinstance(url, str) and url.startswith(("http://", "https://")) else None
    env.filters["day"] = lambda value: value[:10] if value else "—"
    env.filters["pct"] = lambda value: f"{value:.0%}"
    return Jinja2Templates(env=env)


# --- reading the store ----------------------------------------------------------------------------------


def _int(request: Request, name: str, default: int) -> int:
    value = request.query_params.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise HTTPException(400, f"{name} must be a positive whole number")
    return int(value)


def _day(request: Request, name: str) -> date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise HTTPException(400, f"{name} must be a date (YYYY-MM-DD)") from None


def _filter(request: Request) -> browse.ArticleFilter:
    params = request.query_params
    return browse.ArticleFilter(
        site=params.get("site") or None, language=params.get("language") or None,
        since=_day(request, "since"), until=_day(request, "until"), q=(params.get("q") or "").strip() or None,
    )


def _sites(session: Session) -> list[dict]:
    recent = list(reversed(runs.recent(session, RUNS_SHOWN)))
    records = []
    for summary in browse.sites(session):
        points = health.series(recent, summary.site)
        record = site_record(summary, points, health.dropped(points))
        last = next((run for run in reversed(recent) if summary.site in {site_of(root) for root in run.roots or []}), None)
        if last is not None:
            record["last_run"] = {"id": last.id, "started_at": last.started_at.isoformat(), "status": last.status}
        record["chart"] = health.chart(points)
        records.append(record)
    return records


def _article_list(session: Session, request: Request) -> dict:
    chosen = _filter(request)
    page = _int(request, "page", 1)
    total = browse.count_articles(session, chosen)
    rows = browse.list_articles(session, chosen, page=page, per_page=PER_PAGE)
    return {"page": page, "per_page": PER_PAGE, "pages": max(1, ceil(total / PER_PAGE)), "total": total,
            "articles": [article_summary(row) for row in rows]}


def _article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article


def _detail(session: Session, article: Article) -> dict:
    original = session.get(Article, article.copy_of_id) if article.copy_of_id else None
    return article_detail(article, urls=browse.aliases(session, article.id), copies=browse.copies_of(session, article.id),
                          original=original, revisions=articles.revisions(session, article))


def _removed(view: View, session: Session, article: Article, urls: list[str]) -> list[Block] | None:
    """The page's blocks, kept or removed and why; None when its raw page is not at hand."""
    if view.raw_pages is None:
        return None
    snapshot = view.raw_pages.snapshot([article.url, *urls])
    if snapshot is None:
        return None
    return explain_page(snapshot, boilerplate=browse.boilerplate_lines(session, article.site))[1]


# --- routes ---------------------------------------------------------------------------------------------


def build_app(view: View) -> Starlette:
    templates = _templates()

    def page(request: Request, name: str, **context):
        return templates.TemplateResponse(request, name, context)

    def sites_page(request: Request):
        with view.sessions() as session:
            return page(request, "sites.html", sites=_sites(session))

    def articles_page(request: Request):
        with view.sessions() as session:
            listing = _article_list(session, request)
            choices = {"sites": [s.site for s in browse.sites(session)], "languages": browse.languages(session)}
        return page(request, "articles.html", listing=listing, params=request.query_params, **choices)

    def article_page(request: Request):
        with view.sessions() as session:
            article = _article(session, request.path_params["article_id"])
            detail = _detail(session, article)
            blocks = _removed(view, session, article, detail["urls"])
        revisions = detail["revisions"]
        diffs = [(revisions[i - 1], revisions[i], word_diff(revisions[i - 1]["text"], revisions[i]["text"]))
                 for i in range(1, len(revisions))]
        return page(request, "article.html", article=detail, diffs=diffs, blocks=blocks,
                    paragraphs=[line for line in detail["text"].splitlines() if line.strip()])

    def runs_page(request: Request):
        with view.sessions() as session:
            return page(request, "runs.html", runs=[run_record(run) for run in runs.recent(session, RUNS_SHOWN)])

    def api_sites(request: Request):
        with view.sessions() as session:
            records = _sites(session)
        for record in records:
            record.pop("chart")
        return JSONResponse(records)

    def api_articles(request: Request):
        with view.sessions() as session:
            return JSONResponse(_article_list(session, request))

    def api_article(request: Request):
        with view.sessions() as session:
            article = _article(session, request.path_params["article_id"])
            detail = _detail(session, article)
            detail["removed"] = block_records(_removed(view, session, article, detail["urls"]))
        return JSONResponse(detail)

    def api_runs(request: Request):
        with view.sessions() as session:
            return JSONResponse([run_record(run) for run in runs.recent(session, RUNS_SHOWN)])

    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return templates.TemplateResponse(request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                                          status_code=exc.status_code)

    routes = [
        Route("/", sites_page), Route("/articles", articles_page), Route("/articles/{article_id:int}", article_page),
        Route("/runs", runs_page), Route("/api/sites", api_sites), Route("/api/articles", api_articles),
        Route("/api/articles/{article_id:int}", api_article), Route("/api/runs", api_runs),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error})
    return _with_headers(app)


def _with_headers(app):
    """The security headers on every response."""

    async def wrapped(scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await app(scope, receive, sending if scope["type"] == "http" else send)

    wrapped.app = app
    return wrapped
