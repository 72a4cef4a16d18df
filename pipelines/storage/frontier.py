"""The crawl frontier in the database: discovered URLs, what is left to fetch, and what fetching gave.

Keeping it in the store (not in memory, not only in JOBDIR) is what lets a killed crawl resume and keeps
memory flat however large the crawl grows. Functions take a session; they never create one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from .dialect import insert_for
from .journal import FORGET as _FORGET_JOURNAL
from .models import Article, ArticleUrl, CrawlRun, FrontierUrl, Revision

PENDING, CLAIMED, DONE, FAILED, GONE, SKIPPED = "pending", "claimed", "done", "failed", "gone", "skipped"


@dataclass(frozen=True, slots=True)
class NewUrl:
    url_key: str
    url: str
    site: str
    kind: str = "page"  # page, sitemap, feed
    depth: int = 0
    query_depth: int = 0
    priority: int = 0
    lastmod: str | None = None
    hints: dict | None = None  # what discovery learned before the fetch (a feed item's date)


def add_urls(session: Session, urls: list[NewUrl], run_id: int) -> int:
    """Adds URLs not seen before as pending; returns how many were new. Known URLs are left alone,
    except that a sitemap ``lastmod`` newer than the stored one is recorded."""
    if not urls:
        return 0
    unique = first_of_each(urls)
    rows = [
        dict(
            url_key=u.url_key, url=u.url, site=u.site, kind=u.kind, depth=u.depth,
            query_depth=u.query_depth, priority=u.priority, lastmod=u.lastmod, state=PENDING, run_id=run_id,
            hints=u.hints,
        )
        for u in unique.values()
    ]
    known = set(session.scalars(select(FrontierUrl.url_key).where(FrontierUrl.url_key.in_(list(unique)))))
    rows = [row for row in rows if row["url_key"] not in known]
    if rows:  # one cached statement, executed for many rows (no per-batch SQL compilation)
        stmt = insert_for(session, FrontierUrl).on_conflict_do_nothing(index_elements=["url_key"])
        session.execute(stmt, rows)
    return len(rows)


def first_of_each(urls: list[NewUrl]) -> dict[str, NewUrl]:
    """One entry per URL key: the first listed, with the hints of later ones merged in (the first's win)."""
    unique: dict[str, NewUrl] = {}
    for u in urls:
        first = unique.setdefault(u.url_key, u)
        if first is not u and u.hints and u.hints != first.hints:
            unique[u.url_key] = replace(first, hints={**u.hints, **(first.hints or {})})
    return unique


def record_hints(session: Session, hints: dict[str, dict]) -> int:
    """Merges discovery's hints (``{url_key: {"published": ISO}}``) into known frontier rows; a hint
    already recorded is kept (the first feed to list a URL wins). Returns how many rows changed.

    A feed read after its post was fetched still dates it: an undated article stored there gets the
    hint's date, and a page fetched, not stored and stored under no URL (dropped for want of a date)
    is queued again, validators cleared, to be extracted with it (``pipelines.writer`` applies hints
    to an undated article written after them)."""
    changed = []
    keys = list(hints)
    for start in range(0, len(keys), 500):
        for row in session.scalars(select(FrontierUrl).where(FrontierUrl.url_key.in_(keys[start : start + 500]))):
            merged = {**hints[row.url_key], **(row.hints or {})}
            if merged != (row.hints or {}):
                dated = "published" in merged and "published" not in (row.hints or {})
                row.hints = merged
                changed.append((row, dated))
    fetched = [row for row, dated in changed if dated and row.kind == "page" and row.state == DONE and row.status == 200]
    if fetched:
        _date_fetched(session, fetched)
    return len(changed)


def _date_fetched(session: Session, rows: list[FrontierUrl]) -> None:
    """Undated articles stored at these rows' URLs get their hint's date; pages stored under no URL are
    fetched again."""
    from crawler.dates.hints import hinted_date

    by_key = {row.url_key: row for row in rows}
    stored = {url: (article_id, published) for url, article_id, published in session.execute(
        select(Article.url, Article.id, Article.published).where(Article.url.in_(list(by_key))))}
    aliased = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(list(by_key)))))
    for key, row in by_key.items():
        if key in stored:
            article_id, published = stored[key]
            if published is None:
                source = row.hints.get("source") or "feed"
                session.execute(update(Article).where(Article.id == article_id)
                                .values(published=hinted_date(row.hints), date_source=source))
        elif key not in aliased:
            row.state, row.etag, row.last_modified, row.body_hash = PENDING, None, None, None


def hints_of(session: Session, keys: list[str]) -> list[dict]:
    """The hints recorded on these frontier rows (those that have some)."""
    return [h for h in session.scalars(select(FrontierUrl.hints).where(FrontierUrl.url_key.in_(keys))) if h]


def mark_aliases(session: Session, urls: list[NewUrl], run_id: int) -> int:
    """Records URLs known to lead to a page already at hand (a post's ``rel=shortlink``) as skipped, so
    they are never fetched: new ones are added skipped, pending ones are skipped. Returns how many."""
    if not urls:
        return 0
    keys = [u.url_key for u in urls]
    skipped = session.execute(_SKIP_PENDING, {"keys": keys}).rowcount or 0
    known = set(session.scalars(_KNOWN_KEYS, {"keys": keys}))
    rows = [
        dict(url_key=u.url_key, url=u.url, site=u.site, kind=u.kind, depth=u.depth, query_depth=u.query_depth,
             priority=u.priority, state=SKIPPED, run_id=run_id, error="alias of a fetched page")
        for u in urls if u.url_key not in known
    ]
    if rows:
        session.execute(insert_for(session, _TABLE).on_conflict_do_nothing(index_elements=["url_key"]), rows)
    return skipped + len(rows)


def claim(session: Session, limit: int, run_id: int) -> list[FrontierUrl]:
    """Takes up to ``limit`` pending URLs (highest priority first) and marks them claimed."""
    rows = list(session.scalars(claim_query(limit)))
    if rows:
        session.execute(
            update(FrontierUrl)
            .where(FrontierUrl.id.in_([r.id for r in rows]))
            .values(state=CLAIMED, run_id=run_id)
        )
    return rows


def claim_query(limit: int):
    """The pending rows a claim takes, best first: read in index order (``ix_frontier_claim``), no sort."""
    return select(FrontierUrl).where(FrontierUrl.state == PENDING).order_by(FrontierUrl.priority.desc(), FrontierUrl.id).limit(limit)


def mark_claimed(session: Session, url: NewUrl, run_id: int) -> bool:
    """Claims a URL reached by redirect. False when it was already fetched or claimed (skip it)."""
    existing = session.scalar(select(FrontierUrl).where(FrontierUrl.url_key == url.url_key))
    if existing is None:
        stmt = insert_for(session, FrontierUrl).values(
            url_key=url.url_key, url=url.url, site=url.site, kind=url.kind, depth=url.depth,
            query_depth=url.query_depth, state=CLAIMED, run_id=run_id,
        ).on_conflict_do_nothing(index_elements=["url_key"])
        return bool(session.execute(stmt).rowcount)
    if existing.state == PENDING:
        existing.state = CLAIMED
        existing.run_id = run_id
        return True
    return False


def claim_fetched(session: Session, urls: list[NewUrl], run_id: int) -> None:
    """A fleet's fetch of these URLs: their rows (added when new) are claimed by ``run_id``, so the start
    of that run is their last check (``fetched_pages``) once the fetch's outcome finishes them."""
    add_urls(session, urls, run_id)
    keys = [u.url_key for u in urls]
    session.execute(update(_TABLE).where(_TABLE.c.url_key.in_(keys)).values(state=CLAIMED, run_id=run_id))


def rows_of(session: Session, keys: list[str]) -> list[FrontierUrl]:
    """The frontier rows of these URL keys (read 500 at a time)."""
    return [row for i in range(0, len(keys), 500)
            for row in session.scalars(select(FrontierUrl).where(FrontierUrl.url_key.in_(keys[i : i + 500])))]


def finish(
    session: Session,
    url_key: str,
    state: str,
    *,
    status: int | None = None,
    fetched_at: datetime | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    error: str | None = None,
    body_hash: str | None = None,
) -> None:
    """Records the outcome of fetching one URL (validators and body hash only from a 200). Its response,
    if journaled (``journal``), is forgotten in the same transaction: finished rows are never replayed."""
    values: dict = {"state": state, "status": status, "error": error}
    if fetched_at is not None:
        values["fetched_at"] = fetched_at
    if status == 200:
        values.update(etag=etag, last_modified=last_modified, body_hash=body_hash)
    session.execute(_FINISH, {"finished_key": url_key, **values})  # the SET columns are the keys given
    session.execute(_FORGET_JOURNAL, {"journal_key": url_key})


_TABLE = FrontierUrl.__table__
_FINISH = update(_TABLE).where(_TABLE.c.url_key == bindparam("finished_key"))  # built once, compiled per key set
# Built once. Core writes, like ``finish``: a FrontierUrl object loaded earlier in the same transaction
# does not see them (no unit keeps one across a write of this kind).
_SKIP_PENDING = update(_TABLE).where(
    _TABLE.c.url_key.in_(bindparam("keys", expanding=True)), _TABLE.c.state == PENDING).values(state=SKIPPED)
_KNOWN_KEYS = select(_TABLE.c.url_key).where(_TABLE.c.url_key.in_(bindparam("keys", expanding=True)))
_SITEMAP_ROWS = select(_TABLE.c.url_key, _TABLE.c.state, _TABLE.c.run_id, _TABLE.c.lastmod, _TABLE.c.sitemap_run).where(
    _TABLE.c.url_key.in_(bindparam("keys", expanding=True)))
_REQUEUE_DONE = update(_TABLE).where(
    _TABLE.c.url_key.in_(bindparam("keys", expanding=True)), _TABLE.c.state == DONE).values(state=PENDING)
_REFRESH = update(_TABLE).where(_TABLE.c.url_key == bindparam("refreshed_key"))


def release_claims(session: Session) -> int:
    """Puts URLs claimed by a run that died back to pending (resume after a crash)."""
    result = session.execute(update(FrontierUrl).where(FrontierUrl.state == CLAIMED).values(state=PENDING))
    return result.rowcount or 0


def requeue_for_new_run(session: Session, root_keys: list[str]) -> int:
    """Starts an incremental run: the roots, sitemaps and feeds are fetched again, and so is what failed;
    pages already fetched wait until a sitemap says they changed (or dropped out of it)."""
    result = session.execute(
        update(FrontierUrl)
        .where(
            (FrontierUrl.kind.in_(("sitemap", "feed")))
            | (FrontierUrl.url_key.in_(root_keys))
            | (FrontierUrl.state.in_((FAILED, CLAIMED)))
        )
        .values(state=PENDING)
    )
    return result.rowcount or 0


def fetched_pages(session: Session, sites: list[str]):
    """The pages of ``sites`` fetched before (state done): ``(url_key, url, site, started_at of the run that
    fetched it, published, modified, stored, changed)``, ``stored`` when a live article is stored at the
    URL, ``changed`` when that last fetch stored a new version of it (not its first).

    One statement: the frontier rows by ``ix_frontier_site``, the articles by URL, and the revisions of
    these sites' articles counted once, grouped (no subquery run per row). An article's newest revision
    is the one its last fetch stored when their times agree."""
    if not sites:
        return []
    revisions = (
        select(Revision.article_id, func.count().label("versions"), func.max(Revision.fetched_at).label("newest"))
        .join(Article, Article.id == Revision.article_id)
        .where(Article.site.in_(sites))
        .group_by(Revision.article_id)
        .subquery()
    )
    changed = (Article.run_id == FrontierUrl.run_id) & (revisions.c.newest == Article.fetched_at) & (revisions.c.versions > 1)
    query = (
        select(FrontierUrl.url_key, FrontierUrl.url, FrontierUrl.site, CrawlRun.started_at, Article.published,
               Article.modified, Article.id.is_not(None), changed)
        .join(CrawlRun, CrawlRun.id == FrontierUrl.run_id)
        .outerjoin(Article, (Article.url == FrontierUrl.url_key) & Article.gone_at.is_(None))
        .outerjoin(revisions, revisions.c.article_id == Article.id)
        .where(FrontierUrl.site.in_(sites), FrontierUrl.kind == "page", FrontierUrl.state == DONE)
    )
    return session.execute(query).all()


def answered_feeds(session: Session, sites: list[str]):
    """``(site, url)`` of the feeds (and REST lists) of ``sites`` that last answered 200."""
    query = select(FrontierUrl.site, FrontierUrl.url).where(
        FrontierUrl.kind == "feed", FrontierUrl.status == 200, FrontierUrl.site.in_(sites))
    return session.execute(query).all()


def feeds_of(session: Session, sites: list[str]):
    """``(url_key, url)`` of the feeds (and REST lists) of ``sites``."""
    if not sites:
        return []
    return session.execute(select(FrontierUrl.url_key, FrontierUrl.url).where(
        FrontierUrl.site.in_(sites), FrontierUrl.kind == "feed")).all()


def skip_pending(session: Session, keys: list[str]) -> int:
    """Leaves these URLs skipped if they are pending (not fetched in this run); returns how many were."""
    return _in_batches(session, _SKIP_PENDING, keys)


def requeue(session: Session, keys: list[str]) -> int:
    """Queues these fetched URLs again (a re-check); returns how many were."""
    return _in_batches(session, _REQUEUE_DONE, keys)


def _in_batches(session: Session, statement, keys: list[str]) -> int:
    """Runs an update on ``keys`` (its expanding ``keys`` parameter), 500 at a time; rows changed."""
    return sum(session.execute(statement, {"keys": keys[i : i + 500]}).rowcount or 0 for i in range(0, len(keys), 500))


def refresh_from_sitemap(session: Session, entries: list[NewUrl], run_id: int, newer) -> int:
    """Records that a sitemap of this run lists these known URLs, with their ``lastmod``. A page fetched in
    an earlier run whose lastmod is newer than the one stored is queued again. Returns how many were."""
    requeued = 0
    by_key = {e.url_key: e for e in entries}
    keys = list(by_key)
    changes = []
    for start in range(0, len(keys), 500):
        for key, state, row_run, lastmod, sitemap_run in session.execute(_SITEMAP_ROWS, {"keys": keys[start : start + 500]}):
            entry, before = by_key[key], (state, lastmod)
            if entry.lastmod and lastmod != entry.lastmod:
                if state in (DONE, SKIPPED) and row_run != run_id and lastmod and newer(entry.lastmod, lastmod):
                    state = PENDING
                    requeued += 1
                lastmod = entry.lastmod
            if (state, lastmod) != before or sitemap_run != run_id:
                changes.append({"refreshed_key": key, "sitemap_run": run_id, "lastmod": lastmod, "state": state})
    if changes:  # one statement built once, executed for many rows
        session.execute(_REFRESH, changes)
    return requeued


def requeue_dropped_from_sitemaps(session: Session, run_id: int, sites: list[str]) -> int:
    """Pages an earlier run's sitemaps listed and this run's do not (deleted posts, usually): fetched
    again so that a 404/410 marks them gone."""
    if not sites:
        return 0
    result = session.execute(
        update(FrontierUrl)
        .where(
            FrontierUrl.kind == "page",
            FrontierUrl.state == DONE,
            FrontierUrl.sitemap_run.is_not(None),
            FrontierUrl.sitemap_run != run_id,
            FrontierUrl.site.in_(sites),
        )
        .values(state=PENDING)
    )
    return result.rowcount or 0


def get(session: Session, url_key: str) -> FrontierUrl | None:
    return session.scalar(select(FrontierUrl).where(FrontierUrl.url_key == url_key))


def has_pending(session: Session) -> bool:
    """True when some URL waits to be fetched (one indexed probe, whatever the size of the frontier)."""
    return session.scalar(select(FrontierUrl.id).where(FrontierUrl.state == PENDING).limit(1)) is not None


def count_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(select(FrontierUrl.state, func.count()).group_by(FrontierUrl.state))
    return {state: n for state, n in rows}
