"""Article rows: upsert by canonical URL, alias URLs, content-hash lookup, live articles for export.

Functions take a session from their caller and never create one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy import bindparam, case, or_, select
from sqlalchemy.orm import Session

from crawler.items import ArticleItem

from .models import Article, ArticleUrl, Revision, SiteCount

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
_FIELDS = (
    "site", "title", "author", "published", "modified", "date_source", "language", "sitename", "kind", "text",
    "content_hash", "fetched_at", "etag", "last_modified",
)


def by_url(session: Session, url: str) -> Article | None:
    """The article stored under ``url``, as canonical URL or as an alias."""
    return session.scalar(_BY_URL, {"url": url})


_ALIASED = select(ArticleUrl.article_id).where(ArticleUrl.url == bindparam("url")).scalar_subquery()
# One statement (two index probes), built once: the article at the URL, else the one it is an alias of.
_BY_URL = (
    select(Article).where(or_(Article.url == bindparam("url"), Article.id == _ALIASED))
    .order_by(case((Article.url == bindparam("url"), 0), else_=1)).limit(1)
)


def by_content_hash(session: Session, content_hash: str, *, exclude_url: str) -> Article | None:
    """The earliest live article other than ``exclude_url`` whose body hashes to ``content_hash``."""
    return session.scalar(
        select(Article)
        .where(Article.content_hash == content_hash, Article.url != exclude_url, Article.gone_at.is_(None))
        .order_by(Article.first_seen, Article.id)
        .limit(1)
    )


LOOK_UP = object()  # ``existing`` not given: upsert looks the row up itself


@dataclass(frozen=True)
class Stored:
    """What ``store`` did: the outcome, the row's id, and the ORM row when one was loaded (an update)."""

    outcome: str
    article_id: int
    article: Article | None = None


def upsert(session: Session, item: ArticleItem, run_id: int | None = None) -> str:
    """Stores an article under its canonical URL: ``new``, ``changed`` (body or title differ) or
    ``unchanged``. A gone article that answers again is live again."""
    return store(session, item, run_id).outcome


def store(session: Session, item: ArticleItem, run_id: int | None = None, existing=LOOK_UP) -> Stored:
    """``upsert`` for a caller that has already looked the row up: ``existing`` is the article stored
    at ``item.url`` (its canonical URL, not an alias) or None when there is none. The row's id is passed
    along, so one write reads the row once."""
    values = {name: getattr(item, name) for name in _FIELDS}
    values["run_id"] = run_id
    if existing is LOOK_UP:
        existing = session.scalar(select(Article).where(Article.url == item.url))
    if existing is None:
        article_id = session.execute(_insert(session), {"url": item.url, "first_seen": item.fetched_at, **values}).scalar()
        if article_id is not None:
            _count_new(session, item.site)
            add_aliases(session, item.url, [item.fetched_url, *item.alias_urls], article_id=article_id)
            _add_revision(session, item, article_id)
            return Stored(NEW, article_id)
        existing = session.scalar(select(Article).where(Article.url == item.url))  # another writer won the race
        assert existing is not None
    outcome = CHANGED if (existing.content_hash, existing.title) != (item.content_hash, item.title) else UNCHANGED
    for name, value in values.items():
        setattr(existing, name, value)
    existing.gone_at = None
    add_aliases(session, item.url, [item.fetched_url, *item.alias_urls], article_id=existing.id)
    if outcome == CHANGED:
        _add_revision(session, item, existing.id)
    return Stored(outcome, existing.id, existing)


@lru_cache(maxsize=None)
def _statements(dialect: str) -> dict:
    """The hot statements, built once per backend (composing them costs more than running them)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    table, urls, counts = Article.__table__, ArticleUrl.__table__, SiteCount.__table__
    count = insert(counts)
    return {
        "article": insert(table).on_conflict_do_nothing(index_elements=["url"]).returning(table.c.id),
        "alias": insert(urls).on_conflict_do_nothing(index_elements=["url"]),
        "count": count.on_conflict_do_update(index_elements=["site"], set_={"articles": counts.c.articles + 1}),
        "revision": Revision.__table__.insert(),
        "id_at": select(table.c.id).where(table.c.url == bindparam("url")),
    }


def _statement(session: Session, name: str):
    return _statements(session.get_bind().dialect.name)[name]


def _insert(session: Session):
    return _statement(session, "article")


def _count_new(session: Session, site: str) -> None:
    session.execute(_statement(session, "count"), {"site": site, "articles": 1})


def site_count(session: Session, site: str) -> int:
    """How many article rows ``site`` has (one probe, whatever the size of the store)."""
    return session.scalar(select(SiteCount.articles).where(SiteCount.site == site)) or 0


def _add_revision(session: Session, item: ArticleItem, article_id: int) -> None:
    session.execute(_statement(session, "revision"), {
        "article_id": article_id, "fetched_at": item.fetched_at, "content_hash": item.content_hash,
        "title": item.title, "text": item.text,
    })


def revisions(session: Session, article: Article) -> list[Revision]:
    """Every stored version of an article, oldest first."""
    return list(
        session.scalars(select(Revision).where(Revision.article_id == article.id).order_by(Revision.fetched_at, Revision.id))
    )


def _comparable(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def describe_change(old: Article, item: ArticleItem) -> str:
    """A short summary of what changed between the stored article and a new extraction."""
    parts = []
    if old.title != item.title:
        parts.append(f"title {old.title!r} -> {item.title!r}")
    if old.content_hash != item.content_hash:
        before, after = len(old.text.split()), len(item.text.split())
        old_lines, new_lines = set(old.text.splitlines()), set(item.text.splitlines())
        parts.append(
            f"text {before} -> {after} words, {len(new_lines - old_lines)} paragraphs added/edited, "
            f"{len(old_lines - new_lines)} removed"
        )
    for name in ("author", "published", "modified"):
        if _comparable(getattr(old, name)) != _comparable(getattr(item, name)):
            parts.append(f"{name} {getattr(old, name)} -> {getattr(item, name)}")
    return "; ".join(parts) or "metadata"


def add_aliases(session: Session, canonical_url: str, urls: list[str], *, article_id: int | None = None) -> None:
    """Records other URLs that lead to the article stored at ``canonical_url`` (whose id is
    ``article_id`` when the caller knows it)."""
    urls = [u for u in dict.fromkeys(urls) if u and u != canonical_url]
    if not urls:
        return
    if article_id is None:
        article_id = session.scalar(_statement(session, "id_at"), {"url": canonical_url})
        if article_id is None:
            return
    session.execute(_statement(session, "alias"), [{"url": u, "article_id": article_id} for u in urls])


def mark_gone(session: Session, url: str, when: datetime) -> bool:
    """Marks the article at ``url`` (canonical or alias) as gone; True if there was a live one."""
    article = by_url(session, url)
    if article is None or article.gone_at is not None:
        return False
    article.gone_at = when
    return True


def live(session: Session, batch: int = 500) -> Iterator[Article]:
    """Every live article, oldest first, streamed (near-duplicate copies are not articles of their own)."""
    stmt = select(Article).where(Article.gone_at.is_(None), Article.copy_of_id.is_(None)).order_by(Article.id).execution_options(yield_per=batch)
    yield from session.scalars(stmt)
