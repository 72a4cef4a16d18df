"""The records that cross module boundaries: what was fetched, and what was extracted from it.

``PageSnapshot`` is the input of extraction (frozen; picklable, so it can go to a worker process).
``Extracted`` is extraction's output. ``ArticleItem`` is what the spider hands to the pipelines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class PageSnapshot:
    """One fetched page, as extraction sees it: bytes, where they came from and when."""

    url: str  # final URL after redirects
    body: bytes
    fetched_at: datetime  # aware, UTC
    http_charset: str | None = None  # charset from the Content-Type header, if any
    requested_url: str | None = None
    # What discovery learned about this URL before fetching it (a feed item's date, a sitemap lastmod...),
    # carried on the request's meta ("hints") from the frontier row: inputs of extraction like the bytes.
    hints: dict[str, str] | None = None


@dataclass(slots=True)
class Extracted:
    """What extraction found on one page. ``is_article`` False means "not a blog post"."""

    url: str  # canonical URL (rel=canonical when it is on the same site, else the page URL)
    is_article: bool
    title: str | None = None
    text: str = ""
    author: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    date_source: str | None = None  # jsonld, meta, time, text, url, sitemap, feed
    language: str | None = None
    sitename: str | None = None
    noindex: bool = False
    reason: str | None = None  # why it is not an article, for stats and logs
    kind: str | None = None  # "embed": a video/image post whose text is its embed URLs (None: a post)
    # (DOM path, lines) of the parts of ``text`` outside the story's own container (extraction/sides.py),
    # for per-site template learning (pipelines/boilerplate.py); not part of the public JSON:
    side_blocks: tuple[tuple[str, str], ...] = ()
    # Read in the crawl's worker from the same parsed tree (crawler/pages.py), not part of the public JSON:
    links: Any = None  # crawler.discovery.PageLinks: links, rel=canonical, shortlink, feed links
    render_hint: str | None = None  # why the static HTML looks like a JavaScript shell (crawler.rendering)
    signature: Any = field(default=None, compare=False)  # near-duplicate signature of the tidied text (pipelines.storage.signatures)

    def as_json(self) -> dict[str, Any]:
        """The public JSON shape (``blogcrawl extract``): dates as ISO 8601 strings."""
        data = asdict(self)
        for key in ("published", "modified"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        for key in ("noindex", "reason", "links", "render_hint", "signature", "side_blocks"):
            data.pop(key)
        if data["kind"] is None:  # the usual post: the JSON shape is unchanged
            data.pop("kind")
        return data


@dataclass(slots=True)
class ArticleItem:
    """An extracted article on its way to storage."""

    url: str  # canonical URL, normalised
    fetched_url: str
    site: str  # host[:port] of the crawled site
    title: str | None
    text: str
    fetched_at: datetime
    author: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    date_source: str | None = None
    language: str | None = None
    sitename: str | None = None
    kind: str | None = None  # "embed": an embed-only post (crawler/extraction/embeds.py)
    content_hash: str = ""
    etag: str | None = None
    last_modified: str | None = None
    alias_urls: list[str] = field(default_factory=list)  # other URLs that led here
    frontier_keys: list[str] = field(default_factory=list)  # frontier rows finished when it is stored
    status: int = 200
    body_hash: str | None = None
    canonical_href: str | None = None  # the page's rel=canonical, absolute, as written (may name another site)
    signature: Any = None  # near-duplicate signature of the clean text (pipelines/writer.py)
    side_blocks: tuple[tuple[str, str], ...] = ()  # Extracted.side_blocks, for per-site template learning
