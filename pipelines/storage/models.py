"""Typed SQLAlchemy models: articles, their alias URLs, the crawl frontier and crawl runs, the
near-duplicate index (MinHash signatures and their LSH band hashes) and the response journal.

The schema is versioned by the Alembic migrations in ``migrations/versions``; a change here needs a new
revision there (``tests/test_migrations.py`` checks that the two agree)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; gives back aware UTC datetimes (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value
        return value.astimezone(timezone.utc).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # type: ignore[override]
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class WallDateTime(TypeDecorator[datetime]):
    """A publication date as the page gave it: aware with the offset the page states (not converted to
    UTC: "2023-11-08T22:00:00-05:00" stays on the 8th), or a naive wall time (kept naive).

    A visible date like "21 أيلول 2019" has no offset; inventing one would move it to another day.
    Stored as ISO 8601 text so both kinds survive every backend unchanged. Compare instants with
    ``signatures._sortable`` (UTC), never the text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # type: ignore[override]
        if value is None:
            return None
        return value.isoformat()

    def process_result_value(self, value, dialect):  # type: ignore[override]
        return None if value is None else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True, nullable=False)
    site: Mapped[str] = mapped_column(String(255), index=True, nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(WallDateTime)
    modified: Mapped[datetime | None] = mapped_column(WallDateTime)
    date_source: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(16))
    sitename: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    content_hash: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    gone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(Integer)  # the last run that stored or confirmed it
    # A near-duplicate (syndicated or reposted copy): the id of the article it copies. Copies are kept,
    # linked to their original, and never exported as articles of their own (see ``signatures``).
    copy_of_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str | None] = mapped_column(String(16))  # "embed": a video/image post, text = its embed URLs


class ArticleUrl(Base):
    """Every other URL seen to lead to an article (tracking variants, redirects, AMP, print views)."""

    __tablename__ = "article_urls"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class FrontierUrl(Base):
    """Crawl state: every URL discovered, whether it is still to fetch, and what fetching it gave."""

    __tablename__ = "frontier"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url_key: Mapped[str] = mapped_column(String(2048), unique=True, nullable=False)
    url: Mapped[str] = mapped_column(String(2048), nullable=False)
    site: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="page")
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    depth: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    query_depth: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    run_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    lastmod: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    etag: Mapped[str | None] = mapped_column(String(255))
    last_modified: Mapped[str | None] = mapped_column(String(64))
    body_hash: Mapped[str | None] = mapped_column(String(64))  # of the last 200 body: unchanged → not re-extracted
    sitemap_run: Mapped[int | None] = mapped_column(Integer)  # the last run whose sitemaps listed it
    # What discovery learned about the URL before fetching it (a feed item's date: {"published": ISO}),
    # handed to extraction as PageSnapshot.hints: it survives a resume and is shared by a fleet.
    hints: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    # the claim's ORDER BY (priority DESC, id) read straight off the index: no sort of the pending rows
    # a site's rows of one kind and state (the new-run re-check reads a site's fetched pages)
    __table_args__ = (Index("ix_frontier_claim", "state", priority.desc(), "id"),
                      Index("ix_frontier_site", "site", "kind", "state"))


class Revision(Base):
    """One stored version of an article: a row per new or changed body, oldest first."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class CrawlRun(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="running")
    roots: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    stats: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)  # why a failed run failed (every site unreachable...)


class SiteState(Base):
    """What the crawl policy learned about a site, kept in the store so a resumed run (or another worker)
    knows it too: ``name`` is the fact (``sitemap_run``: the last run whose sitemaps answered;
    ``render``: fruitful and fruitless browser renders), ``value`` its JSON value."""

    __tablename__ = "site_state"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)


class Signature(Base):
    """The MinHash signature of an article's clean text (word shingles), for near-duplicate checks."""

    __tablename__ = "signatures"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    minhash: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # num_perm uint32, little-endian
    shingles: Mapped[int] = mapped_column(Integer, nullable=False)  # distinct shingles in the text
    canonical_key: Mapped[str | None] = mapped_column(String(2048))  # its rel=canonical, when elsewhere


class SignatureBand(Base):
    """The LSH index: one row per band of a signature. Articles sharing a (band, hash) are candidates."""

    __tablename__ = "signature_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True)


class SiteLine(Base):
    """Per-site boilerplate learning: how many distinct articles of a site carry a text line. A line
    most of a site's articles carry ("Follow us on …", a signature) is that site's boilerplate."""

    __tablename__ = "site_lines"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    line_hash: Mapped[str] = mapped_column(String(32), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    boilerplate: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    line: Mapped[str] = mapped_column(Text, nullable=False)


class SiteCount(Base):
    """How many article rows a site has (kept with each new article): boilerplate learning's share is of
    this count, read in one probe instead of counting the site's articles for every new one."""

    __tablename__ = "site_counts"

    site: Mapped[str] = mapped_column(String(255), primary_key=True)
    articles: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class JournalEntry(Base):
    """A response a running crawl fetched and has not finished with (``pipelines.storage.journal``): a page
    not yet stored, or the run's robots.txt. A resumed run answers its request from here, not the network;
    a page's entry is deleted in the transaction that finishes its frontier row."""

    __tablename__ = "response_journal"

    url_key: Mapped[str] = mapped_column(String(2048), primary_key=True)  # the frontier key (robots: the URL)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # page, robots
    url: Mapped[str] = mapped_column(String(2048), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    headers: Mapped[list] = mapped_column(JSON, nullable=False)  # [[name, value], ...], latin-1, as sent
    body: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # as sent (Content-Encoding kept)...
    codec: Mapped[str | None] = mapped_column(String(16))  # ...and "zlib" when compressed here (it was not)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
