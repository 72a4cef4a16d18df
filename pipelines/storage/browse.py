"""Read-only queries for looking through a store (``blogcrawl serve``): sites, a filtered and paginated
article list, what leads to an article and what copies it.

Functions take a session from their caller and never create one; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from .models import Article, ArticleUrl, SiteLine


@dataclass(frozen=True, slots=True)
class SiteSummary:
    site: str
    articles: int  # live articles, near-duplicate copies left out (as in export)
    last_fetched: datetime | None


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What the article list shows: every filter is optional. ``since``/``until`` bound the published day."""

    site: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None
    q: str | None = None


def _live():
    return (Article.gone_at.is_(None), Article.copy_of_id.is_(None))


def sites(session: Session) -> list[SiteSummary]:
    """One summary per site with stored articles, by site name."""
    rows = session.execute(
        select(Article.site, func.count(Article.id), func.max(Article.fetched_at))
        .where(*_live()).group_by(Article.site).order_by(Article.site)
    )
    summaries = [SiteSummary(site, count, _aware(last)) for site, count, last in rows]
    known = {s.site for s in summaries}
    others = session.scalars(select(Article.site).where(Article.site.not_in(known)).distinct().order_by(Article.site))
    return summaries + [SiteSummary(site, 0, None) for site in others]


def _aware(value):
    """``max()`` skips the column type: SQLite gives back a string or a naive datetime."""
    from .models import UTCDateTime

    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return UTCDateTime().process_result_value(value, None)


def _filtered(stmt: Select, chosen: ArticleFilter) -> Select:
    stmt = stmt.where(*_live())
    if chosen.site:
        stmt = stmt.where(Article.site == chosen.site)
    if chosen.language:
        stmt = stmt.where(Article.language == chosen.language)
    if chosen.since:  # published is ISO 8601 text (UTC when aware): day bounds compare as strings
        stmt = stmt.where(Article.published >= datetime.combine(chosen.since, time()))
    if chosen.until:
        stmt = stmt.where(Article.published < datetime.combine(chosen.until + timedelta(days=1), time()))
    if chosen.q:
        stmt = stmt.where(or_(Article.title.icontains(chosen.q, autoescape=True),
                              Article.text.icontains(chosen.q, autoescape=True)))
    return stmt


def count_articles(session: Session, chosen: ArticleFilter) -> int:
    return session.scalar(_filtered(select(func.count(Article.id)), chosen)) or 0


def list_articles(session: Session, chosen: ArticleFilter, *, page: int = 1, per_page: int = 50) -> list[Article]:
    """One page of the live articles matching ``chosen``, newest published first (undated ones last)."""
    stmt = _filtered(select(Article), chosen).order_by(
        Article.published.is_(None), Article.published.desc(), Article.fetched_at.desc(), Article.id.desc())
    return list(session.scalars(stmt.offset((max(page, 1) - 1) * per_page).limit(per_page)))


def languages(session: Session) -> list[str]:
    return list(session.scalars(
        select(Article.language).where(*_live(), Article.language.is_not(None)).distinct().order_by(Article.language)))


def aliases(session: Session, article_id: int) -> list[str]:
    """The other URLs that led to an article (tracking variants, redirects, AMP, print views)."""
    return list(session.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == article_id).order_by(ArticleUrl.url)))


def copies_of(session: Session, article_id: int) -> list[Article]:
    """The stored near-duplicate copies of an article, oldest first."""
    return list(session.scalars(select(Article).where(Article.copy_of_id == article_id).order_by(Article.id)))


def boilerplate_lines(session: Session, site: str) -> list[str]:
    """The lines learned as the site's boilerplate."""
    return list(session.scalars(select(SiteLine.line).where(SiteLine.site == site, SiteLine.boilerplate.is_(True))))
