"""BlogSpider: crawls whole blogs through their sitemaps, feeds and links, with the frontier in the store.

``start()`` feeds the engine from the frontier table until nothing is pending and nothing is in flight.
Callbacks only glue: they add discovered URLs to the frontier, call the pure ``extract()`` and yield
items; the pipelines deduplicate and store.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.discovery import FEED_TYPES, parse_feed, parse_sitemap
from crawler.extraction import extract
from crawler.items import ArticleItem, PageSnapshot
from crawler.urls import (
    canonicalize,
    is_http_url,
    looks_like_listing,
    looks_like_non_html,
    root_of,
    site_of,
)
from pipelines.storage import articles, frontier, runs
from pipelines.storage.frontier import NewUrl
from pipelines.storage.store import Store

LOGGER = logging.getLogger(__name__)

PRIORITY = {"root": 40, "sitemap": 30, "feed": 20, "post": 10, "page": 0, "listing": -10}
HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class BlogSpider(Spider):
    name = "blog"

    def __init__(self, url: str | None = None, urls: list[str] | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = list(urls or []) + [u for u in (url or "").split(",") if u.strip()]
        if not given:
            raise ValueError("no site to crawl: give one or more root URLs (-a url=https://blog.example/)")
        for root in given:
            if not is_http_url(root) or not urlsplit(root).hostname:
                raise ValueError(f"not an http(s) URL: {root!r}")
        self.roots = [root_of(u) for u in given]
        self.sites = {site_of(u) for u in self.roots}
        self.allowed_domains = sorted({urlsplit(u).hostname for u in self.roots})
        self._root_keys = {canonicalize(u) for u in self.roots}
        self.run_id: int | None = None
        self.resumed = False
        self._claimed = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = Store.for_crawler(crawler)
        settings = crawler.settings
        spider.max_pages = settings.getint("BLOGCRAWL_MAX_PAGES")
        spider.max_depth = settings.getint("BLOGCRAWL_MAX_DEPTH")
        spider.max_query_depth = settings.getint("BLOGCRAWL_MAX_QUERY_DEPTH")
        spider.claim_batch = settings.getint("BLOGCRAWL_CLAIM_BATCH")
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.closed_run, signal=signals.spider_closed)
        return spider

    # -- the run and its frontier ------------------------------------------------------------------

    def open_run(self) -> None:
        """Resumes the run a killed crawl left unfinished, or starts a new one over the known URLs."""
        now = utcnow()
        with self.store.begin() as session:
            previous = runs.unfinished(session)
            if previous is not None and set(previous.roots) == set(self.roots):
                self.run_id, self.resumed = previous.id, True
                released = frontier.release_claims(session)
                LOGGER.info("resuming run %d (%d in-flight URLs back to pending)", previous.id, released)
            else:
                if previous is not None:
                    runs.end(session, previous.id, runs.INTERRUPTED, now, previous.stats)
                frontier.release_claims(session)
                frontier.requeue_all(session)
                self.run_id = runs.begin(session, self.roots, now).id
            seeds = [self._new(root, "root", kind="page") for root in self.roots]
            frontier.add_urls(session, seeds, self.run_id)
        self.crawler.stats.set_value("blogcrawl/run_id", self.run_id)

    def closed_run(self, spider, reason: str) -> None:
        if self.run_id is None:
            return
        status = runs.FINISHED if reason == "finished" else runs.INTERRUPTED
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
        with self.store.begin() as session:
            runs.end(session, self.run_id, status, utcnow(), stats)

    async def start(self):
        self.open_run()
        engine = self.crawler.engine
        while True:
            while engine.needs_backout():
                await asyncio.sleep(0.02)
            limit = self.claim_batch
            if self.max_pages:
                limit = min(limit, self.max_pages - self._claimed)
                if limit <= 0:
                    LOGGER.info("page budget of %d reached", self.max_pages)
                    return
            with self.store.begin() as session:
                rows = frontier.claim(session, limit, self.run_id)
                requests = [self._request(row) for row in rows]
            self._claimed += len(requests)
            for request in requests:
                yield request
            if requests:
                continue
            if self._engine_idle():
                await asyncio.sleep(0.05)
                if self._engine_idle() and not self._has_pending():
                    return
            await asyncio.sleep(0.02)

    def _engine_idle(self) -> bool:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        scheduler_busy = slot is not None and slot.scheduler.has_pending_requests()
        return not engine.downloader.active and engine.scraper.slot.is_idle() and not scheduler_busy

    def _has_pending(self) -> bool:
        with self.store.begin() as session:
            return frontier.count_by_state(session).get(frontier.PENDING, 0) > 0

    def _request(self, row) -> Request:
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(row.kind, self.parse_page)
        return Request(
            row.url,
            callback=callback,
            errback=self.fetch_failed,
            dont_filter=True,
            priority=row.priority,
            meta={"frontier_key": row.url_key, "kind": row.kind, "depth": row.depth, "query_depth": row.query_depth},
        )

    def _new(self, url: str, role: str, *, kind: str = "page", parent: Response | None = None, lastmod=None) -> NewUrl:
        depth = query_depth = 0
        if parent is not None:
            depth = parent.meta.get("depth", 0) + 1
            parent_parts, parts = urlsplit(parent.url), urlsplit(url)
            if parts.query and parts.path == parent_parts.path:
                query_depth = parent.meta.get("query_depth", 0) + 1
        return NewUrl(
            url_key=canonicalize(url), url=url, site=site_of(url), kind=kind, depth=depth,
            query_depth=query_depth, priority=PRIORITY[role], lastmod=lastmod,
        )

    def _accept(self, new: NewUrl) -> bool:
        if new.site not in self.sites or not is_http_url(new.url):
            return False
        if new.kind == "page" and looks_like_non_html(new.url):
            return False
        return new.depth <= self.max_depth and new.query_depth <= self.max_query_depth

    def enqueue(self, urls: list[NewUrl]) -> None:
        accepted = [u for u in urls if self._accept(u)]
        if not accepted:
            return
        with self.store.begin() as session:
            added = frontier.add_urls(session, accepted, self.run_id)
        self.crawler.stats.inc_value("frontier/added", added)

    def _finish(self, response_or_request, state: str, *, status=None, error=None, headers=None) -> None:
        meta = response_or_request.meta
        keys = meta.get("frontier_keys") or [meta["frontier_key"]]
        etag = last_modified = None
        if headers is not None:
            etag = _header(headers, b"ETag")
            last_modified = _header(headers, b"Last-Modified")
        with self.store.begin() as session:
            for key in keys:
                frontier.finish(
                    session, key, state, status=status, error=error, etag=etag, last_modified=last_modified,
                    fetched_at=utcnow() if status is not None else None,
                )

    # -- discovery ---------------------------------------------------------------------------------

    def robots_parsed(self, robotparser, request) -> None:
        """Sitemaps named in robots.txt; ``/sitemap.xml`` when it names none."""
        root = root_of(request.url)
        if site_of(root) not in self.sites:
            return
        sitemaps = list(getattr(getattr(robotparser, "rp", None), "sitemaps", []) or [])
        if not sitemaps:
            sitemaps = [root + "sitemap.xml"]
        self.enqueue([self._new(u, "sitemap", kind="sitemap") for u in sitemaps])

    def parse_sitemap(self, response: Response):
        entries = parse_sitemap(response.body, response.url)
        new = [
            self._new(e.url, "sitemap" if e.is_sitemap else "post", kind="sitemap" if e.is_sitemap else "page", lastmod=e.lastmod)
            for e in entries
        ]
        self.enqueue(new)
        self.crawler.stats.inc_value("discovery/sitemap_urls", len(entries))
        self._finish(response, frontier.DONE, status=response.status, headers=response.headers)
        return []

    def parse_feed(self, response: Response):
        links = parse_feed(response.body, response.url)
        self.enqueue([self._new(u, "post") for u in links])
        self.crawler.stats.inc_value("discovery/feed_urls", len(links))
        self._finish(response, frontier.DONE, status=response.status, headers=response.headers)
        return []

    def _discover_links(self, response: TextResponse) -> None:
        hrefs = response.xpath("//a[@href]/@href").getall()
        new = []
        for href in hrefs:
            href = href.strip()
            if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
                continue
            url = response.urljoin(href).split("#", 1)[0]
            role = "listing" if looks_like_listing(url) else "page"
            new.append(self._new(url, role, parent=response))
        for href in response.xpath("//link[@rel='canonical']/@href").getall()[:1]:
            new.append(self._new(response.urljoin(href.strip()), "post", parent=response))
        if response.meta.get("frontier_key") in self._root_keys:
            feeds = [
                response.urljoin(link.attrib["href"])
                for link in response.xpath("//link[@rel='alternate'][@href]")
                if link.attrib.get("type", "").lower() in FEED_TYPES
            ]
            new.extend(self._new(u, "feed", kind="feed") for u in feeds or [root_of(response.url) + "feed/"])
        self.enqueue(new)

    # -- pages -------------------------------------------------------------------------------------

    def parse_page(self, response: Response):
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (content_type and content_type not in HTML_TYPES):
            self.crawler.stats.inc_value("pages/non_html")
            self._finish(response, frontier.SKIPPED, status=response.status, error="not html", headers=response.headers)
            return
        self._discover_links(response)
        item = None
        if not looks_like_listing(response.url):
            item = self._article(response)
        else:
            self.crawler.stats.inc_value("pages/listing")
        self._finish(response, frontier.DONE, status=response.status, headers=response.headers)
        if item is not None:
            yield item

    def _article(self, response: TextResponse) -> ArticleItem | None:
        snapshot = PageSnapshot(
            url=response.url,
            body=response.body,
            fetched_at=_page_time(response),
            http_charset=_header_charset(response),
            requested_url=(response.meta.get("redirect_urls") or [response.url])[0],
        )
        stats = self.crawler.stats
        try:
            extracted = extract(snapshot)
        except Exception as exc:  # extraction must never raise; if it does, the crawl goes on
            stats.inc_value(f"extract/error/{type(exc).__name__}")
            LOGGER.error("extraction failed on %s: %r", response.url, exc, exc_info=True)
            return None
        if not extracted.is_article:
            stats.inc_value(f"extract/not_article/{extracted.reason or 'other'}")
            return None
        if extracted.noindex:
            stats.inc_value("extract/noindex")
            return None
        canonical = self._canonical_elsewhere(response)
        if canonical is not None:
            stats.inc_value("dedup/canonical_elsewhere")
            self.enqueue([self._new(canonical, "post", parent=response)])
            return None
        stats.inc_value("extract/article")
        return ArticleItem(
            url=extracted.url,
            fetched_url=response.url,
            site=site_of(response.url),
            title=extracted.title,
            text=extracted.text,
            fetched_at=utcnow(),
            author=extracted.author,
            published=extracted.published,
            modified=extracted.modified,
            date_source=extracted.date_source,
            language=extracted.language,
            sitename=extracted.sitename,
            etag=_header(response.headers, b"ETag"),
            last_modified=_header(response.headers, b"Last-Modified"),
            alias_urls=list(response.meta.get("redirect_urls") or []),
        )

    def _canonical_elsewhere(self, response: TextResponse) -> str | None:
        """The rel=canonical URL when it names another page of a crawled site (that page is stored, not this)."""
        href = response.xpath("//link[@rel='canonical']/@href").get()
        if not href:
            return None
        canonical = response.urljoin(href.strip())
        if site_of(canonical) not in self.sites or canonicalize(canonical) == canonicalize(response.url):
            return None
        return canonical

    # -- failures ----------------------------------------------------------------------------------

    def fetch_failed(self, failure) -> None:
        request = failure.request
        stats = self.crawler.stats
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            state = frontier.GONE if status in (404, 410) else frontier.FAILED
            stats.inc_value(f"errors/http_{status}")
            self._finish(response, state, status=status, error=f"HTTP {status}", headers=response.headers)
            if state == frontier.GONE:
                with self.store.begin() as session:
                    articles.mark_gone(session, canonicalize(response.url), utcnow())
            return
        kind = failure.type.__name__
        stats.inc_value(f"errors/{kind}")
        LOGGER.info("fetch failed: %s: %s", request.url, failure.getErrorMessage())
        self._finish(request, frontier.FAILED, error=f"{kind}: {failure.getErrorMessage()}"[:500])


def _header(headers, name: bytes) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _header_charset(response: Response) -> str | None:
    content_type = _header(response.headers, b"Content-Type") or ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _page_time(response: Response) -> datetime:
    """When the page was rendered, by the server's own clock: ``Last-Modified`` when it is not later than
    ``Date``, else ``Date``, else now. Relative dates on the page ("3 days ago") count from it."""
    served = _http_date(_header(response.headers, b"Date")) or utcnow()
    rendered = _http_date(_header(response.headers, b"Last-Modified"))
    return rendered if rendered is not None and rendered <= served else served


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
