"""Per-site boilerplate lines in the store: counting, learning, and re-cleaning stored articles.

Functions take a session from their caller and never create one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import bindparam, select, update

from .articles import site_count
from .models import Article, SiteLine


def line_hash(line: str) -> str:
    return hashlib.blake2b(" ".join(line.split()).encode("utf-8"), digest_size=16).hexdigest()


def known(session, site: str, hashes: Iterable[str]) -> dict[str, SiteLine]:
    """The site's counted lines among ``hashes``."""
    hashes = list(hashes)
    if not hashes:
        return {}
    rows = session.scalars(_KNOWN, {"site": site, "hashes": hashes})
    return {row.line_hash: row for row in rows}


_KNOWN = select(SiteLine).where(  # built once
    SiteLine.site == bindparam("site"), SiteLine.line_hash.in_(bindparam("hashes", expanding=True)))


def count(session, site: str, lines: dict[str, str]) -> None:
    """One more article of ``site`` carries each of these lines (hash → line)."""
    if not lines:
        return
    rows = [{"site": site, "line_hash": h, "articles": 1, "boilerplate": False, "line": line} for h, line in lines.items()]
    session.execute(_count_statement(session.get_bind().dialect.name), rows)


@lru_cache(maxsize=None)
def _count_statement(dialect: str):
    """The line-count upsert, built once per backend."""
    from sqlalchemy.dialects import postgresql, sqlite

    table = SiteLine.__table__
    stmt = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect](table)
    return stmt.on_conflict_do_update(index_elements=["site", "line_hash"], set_={"articles": table.c.articles + 1})


def site_articles(session, site: str) -> int:
    return site_count(session, site)


def learn(session, site: str, min_articles: int, share: float, stored: int, candidates: Iterable[str] | None = None) -> list[SiteLine]:
    """Marks as boilerplate the lines now carried by at least ``min_articles`` articles and ``share`` of
    the site's ``stored`` articles; returns the newly learned ones. Nothing is learned before the site has
    twice ``min_articles`` articles: a few posts in a row sharing a line (a series) prove nothing.

    ``candidates``: the line hashes just counted. The threshold only rises with ``stored``, so only
    they can have crossed it, except while the site is young (under four times ``min_articles``
    articles): then every line of the site is checked, for those counted before learning could start.
    That keeps the per-article cost flat however many lines the site has."""
    if stored < 2 * min_articles:
        return []
    threshold = max(min_articles, share * stored)
    where = [SiteLine.site == site, SiteLine.boilerplate.is_(False), SiteLine.articles >= threshold]
    if candidates is not None and stored >= 4 * min_articles:
        hashes = list(candidates)
        if not hashes:
            return []
        where.append(SiteLine.line_hash.in_(hashes))
    return _mark(session, site, where)


def learn_among(session, site: str, threshold: float, hashes: list[str]) -> list[SiteLine]:
    """Marks as boilerplate those of ``hashes`` now carried by at least ``threshold`` articles of the site;
    returns the newly learned ones."""
    if not hashes:
        return []
    return _mark(session, site, [SiteLine.site == site, SiteLine.boilerplate.is_(False),
                                 SiteLine.articles >= threshold, SiteLine.line_hash.in_(hashes)])


def _mark(session, site: str, where: list) -> list[SiteLine]:
    """Marks the site's lines that meet ``where`` as boilerplate; returns them."""
    rows = list(session.scalars(select(SiteLine).where(*where)))
    if rows:
        session.execute(update(SiteLine).where(
            SiteLine.site == site, SiteLine.line_hash.in_([r.line_hash for r in rows]),
        ).values(boilerplate=True))
    return rows


def stored_with_line(session, site: str, line: str) -> list[Article]:
    """Stored articles of ``site`` whose text may carry ``line`` (a substring match; callers check lines)."""
    return list(session.scalars(select(Article).where(Article.site == site, Article.text.contains(line, autoescape=True))))
