"""BlogSpider: crawls whole blogs through their sitemaps, feeds and links, with the frontier in the store.

``start()`` feeds the engine from the frontier table until nothing is pending and nothing is in flight.
Callbacks only glue: they add discovered URLs to the frontier, call the pure ``extract()`` and yield
items; the pipelines deduplicate and store.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.discovery import FEED_TYPES, parse_feed, parse_sitemap
from crawler.extract_pool import ExtractorPool
from crawler.items import ArticleItem
from crawler.rendering import RenderPolicy
from crawler.snapshots import article_item, body_hash, header, snapshot_of, utcnow
from crawler.urls import (
    canonicalize,
    is_http_url,
    looks_like_archive,
    looks_like_listing,
    looks_like_non_html,
    root_of,
    site_of,
)
from crawler.dates import parse_structured_date
from pipelines.storage import articles, frontier, runs
from pipelines.storage.batch import BatchWriter
from pipelines.storage.frontier import NewUrl
from pipelines.storage.lock import CrawlLock, StoreLocked
from pipelines.storage.store import Store

LOGGER = logging.getLogger(__name__)

PRIORITY = {"root": 40, "sitemap": 30, "feed": 20, "post": 10, "page": 0, "listing": -10}
HTML_TYPES = (b"text/html", b"application/xhtml+xml")


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
        self._lock: CrawlLock | None = None
        self._sitemap_sites: set[str] = set()  # sites whose sitemaps answered in this run
        self._dropped_checked = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = Store.for_crawler(crawler)
        spider.db = BatchWriter.for_crawler(crawler)  # every write, off the event loop, batched
        spider.db.on_error = spider.write_failed
        spider.rendering = RenderPolicy.from_crawler(crawler, spider.store)  # which pages need a browser
        settings = crawler.settings
        spider.max_pages = settings.getint("BLOGCRAWL_MAX_PAGES")
        spider.max_depth = settings.getint("BLOGCRAWL_MAX_DEPTH")
        spider.max_query_depth = settings.getint("BLOGCRAWL_MAX_QUERY_DEPTH")
        spider.claim_batch = settings.getint("BLOGCRAWL_CLAIM_BATCH")
        workers = settings.get("BLOGCRAWL_EXTRACT_WORKERS")
        spider.extractor = ExtractorPool(None if workers in (None, "") else int(workers))
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.closed_run, signal=signals.spider_closed)
        crawler.signals.connect(spider.item_error, signal=signals.item_error)
        return spider

    # -- the run and its frontier ------------------------------------------------------------------

    def open_run(self) -> None:
        """Takes the store's crawl lock, then resumes the run a killed crawl left unfinished, or starts an
        incremental one over the known URLs."""
        try:
            self._lock = CrawlLock(self.store.db_url).acquire()
        except StoreLocked as exc:
            self.crawler.stats.set_value("blogcrawl/locked", str(exc))
            raise CloseSpider("store_locked") from None
        self.extractor.stats = self.crawler.stats
        self._base_stats: dict = {}
        self.db.call(self._open_run)
        self.crawler.stats.set_value("blogcrawl/run_id", self.run_id)

    def _open_run(self, session) -> None:
        now = utcnow()
        previous = runs.unfinished(session)
        if previous is not None and set(previous.roots) == set(self.roots):
            self.run_id, self.resumed = previous.id, True
            self._base_stats = dict(previous.stats or {})
            released = frontier.release_claims(session)
            LOGGER.info("resuming run %d (%d in-flight URLs back to pending)", previous.id, released)
        else:
            if previous is not None:
                runs.end(session, previous.id, runs.INTERRUPTED, now, previous.stats)
            frontier.requeue_for_new_run(session, sorted(self._root_keys))
            self.run_id = runs.begin(session, self.roots, now).id
        seeds = [self._new(root, "root", kind="page") for root in self.roots]
        frontier.add_urls(session, seeds, self.run_id)

    def closed_run(self, spider, reason: str) -> None:
        self.extractor.close()
        try:
            if self.run_id is not None:
                status = runs.FINISHED if reason == "finished" else runs.INTERRUPTED
                stats = self._run_stats()
                self.db.call(lambda session: runs.end(session, self.run_id, status, utcnow(), stats))
        finally:
            self.db.close()
            if self._lock is not None:
                self._lock.release()

    def _run_stats(self) -> dict:
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
        return runs.merge_stats(self._base_stats, stats)

    def save_progress(self) -> None:
        """Writes the run's counters so far (a killed run keeps what it did)."""
        stats = self._run_stats()
        self.db.send(lambda session: runs.save_stats(session, self.run_id, stats))

    def write_failed(self, exc: BaseException) -> None:
        """A write sent without waiting failed for good: a fatal store error stops the crawl (the row
        stays claimed otherwise, and the next run fetches it again)."""
        from crawler.middlewares.store_faults import stop_crawl, store_stop_reason

        self.crawler.stats.inc_value(f"store/write_error/{type(exc).__name__}")
        reason = store_stop_reason(self.crawler, exc)
        if reason is not None:
            stop_crawl(self.crawler, reason)

    async def start(self):
        self.open_run()
        engine = self.crawler.engine
        saved_at = asyncio.get_running_loop().time()
        while True:
            now = asyncio.get_running_loop().time()
            if now - saved_at > 5:
                self.save_progress()
                saved_at = now
            while engine.needs_backout():
                await asyncio.sleep(0.02)
            limit = self.claim_batch
            if self.max_pages:
                limit = min(limit, self.max_pages - self._claimed)
                if limit <= 0:
                    LOGGER.info("page budget of %d reached", self.max_pages)
                    return
            rows = await self.db.submit(lambda session: frontier.claim(session, limit, self.run_id), urgent=True)
            rows = self._skip_archives(rows)
            requests = [self._request(row) for row in rows]
            self._claimed += len(requests)
            for request in requests:
                yield request
            if requests:
                continue
            if self._engine_idle():
                await asyncio.sleep(0.05)
                if self._engine_idle() and not await self._has_pending() and not await self._requeue_dropped():
                    return
            await asyncio.sleep(0.02)

    def _engine_idle(self) -> bool:
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        scheduler_busy = slot is not None and slot.scheduler.has_pending_requests()
        return not engine.downloader.active and engine.scraper.slot.is_idle() and not scheduler_busy

    def _skip_archives(self, rows: list) -> list:
        """Taxonomy and date archives of a site whose sitemaps list its posts are not fetched: they list
        the same posts again. (Archives come last in the frontier, after the sitemaps; home-page
        pagination is still followed, for posts a sitemap misses.)"""
        skip = [r for r in rows if r.kind == "page" and r.site in self._sitemap_sites and looks_like_archive(r.url)]
        if not skip:
            return rows
        keys = [r.url_key for r in skip]
        self.db.send(lambda session: finish_keys(session, keys, frontier.SKIPPED, error="archive listing; the sitemap lists its posts"))
        self.crawler.stats.inc_value("frontier/archives_skipped", len(skip))
        return [r for r in rows if r not in skip]

    async def _requeue_dropped(self) -> int:
        """Once per run, at the end: pages that this run's sitemaps no longer list are checked again."""
        if self._dropped_checked:
            return 0
        self._dropped_checked = True
        sites = sorted(self._sitemap_sites)
        n = await self.db.submit(lambda session: frontier.requeue_dropped_from_sitemaps(session, self.run_id, sites), urgent=True)
        self.crawler.stats.inc_value("frontier/dropped_from_sitemap", n)
        return n

    async def _has_pending(self) -> bool:
        return await self.db.submit(frontier.has_pending, urgent=True)

    def _request(self, row) -> Request:
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(row.kind, self.parse_page)
        headers = {}
        if row.kind != "sitemap":  # sitemaps are read whole each run: they tell what disappeared
            if row.etag:
                headers["If-None-Match"] = row.etag
            if row.last_modified:
                headers["If-Modified-Since"] = row.last_modified
        return Request(
            row.url,
            callback=callback,
            errback=self.fetch_failed,
            dont_filter=True,
            priority=row.priority,
            headers=headers,
            meta={
                "frontier_key": row.url_key, "kind": row.kind, "depth": row.depth, "query_depth": row.query_depth,
                "body_hash": row.body_hash, "handle_httpstatus_list": [304],
                **self.rendering.request_meta(row.url, row.kind),
            },
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
        self.db.send(lambda session: frontier.add_urls(session, accepted, self.run_id), self._counter("frontier/added"))

    def _counter(self, key: str):
        return lambda n: self.crawler.stats.inc_value(key, n) if n else None

    def _finish(self, response_or_request, state: str, *, status=None, error=None, headers=None, body=None) -> None:
        meta = response_or_request.meta
        keys = meta.get("frontier_keys") or [meta["frontier_key"]]
        digest = body_hash(body)
        self.db.send(
            lambda session: finish_keys(session, keys, state, status=status, error=error, headers=headers, body_hash=digest)
        )

    def item_error(self, item, response, failure) -> None:
        if isinstance(item, ArticleItem) and item.frontier_keys:
            self.crawler.stats.inc_value(f"errors/pipeline/{failure.type.__name__}")
            error = failure.getErrorMessage()[:500]
            self.db.send(
                lambda session: finish_keys(session, item.frontier_keys, frontier.FAILED, status=item.status, error=error)
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
        pages = [u for u in new if u.kind == "page" and self._accept(u)]
        if pages:
            self._sitemap_sites.add(site_of(response.url))
            run_id = self.run_id
            self.db.send(lambda session: frontier.refresh_from_sitemap(session, pages, run_id, lastmod_newer),
                         self._counter("frontier/sitemap_changed"))
        self.crawler.stats.inc_value("discovery/sitemap_urls", len(entries))
        self._finish(response, frontier.DONE, status=response.status, headers=response.headers)
        return []

    def parse_feed(self, response: Response):
        if response.status == 304:
            self._finish(response, frontier.DONE, status=304)
            return []
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
        shortlinks = [
            self._new(response.urljoin(href.strip()), "page", parent=response)
            for href in response.xpath("//link[@rel='shortlink']/@href").getall()[:1]
        ]
        shortlinks = [u for u in shortlinks if u.site in self.sites and u.url_key != response.meta.get("frontier_key")]
        if shortlinks:  # WordPress's /?p=ID of this very page: a redirect back here, never worth a request
            run_id = self.run_id
            self.db.send(lambda session: frontier.mark_aliases(session, shortlinks, run_id), self._counter("frontier/shortlinks_skipped"))
        if response.meta.get("frontier_key") in self._root_keys:
            feeds = [
                response.urljoin(link.attrib["href"])
                for link in response.xpath("//link[@rel='alternate'][@href]")
                if link.attrib.get("type", "").lower() in FEED_TYPES
            ]
            new.extend(self._new(u, "feed", kind="feed") for u in feeds or [root_of(response.url) + "feed/"])
        self.enqueue(new)

    # -- pages -------------------------------------------------------------------------------------

    async def parse_page(self, response: Response):
        stats = self.crawler.stats
        if response.status == 304 or response.meta.get("body_hash") == body_hash(response.body):
            stats.inc_value("pages/not_modified" if response.status == 304 else "pages/same_body")
            stats.inc_value("storage/unchanged")
            self._finish(response, frontier.DONE, status=response.status, headers=response.headers, body=response.body)
            return
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (content_type and content_type not in HTML_TYPES):
            stats.inc_value("pages/non_html")
            self._finish(response, frontier.SKIPPED, status=response.status, error="not html", headers=response.headers)
            return
        self._discover_links(response)
        item = None
        if not looks_like_listing(response.url):
            item = await self._article(response)
            if self.rendering.handed_over(response):  # its rendered copy finishes the row
                return
        else:
            stats.inc_value("pages/listing")
        if item is None:
            self._finish(response, frontier.DONE, status=response.status, headers=response.headers, body=response.body)
            return
        yield item  # its frontier rows are finished in the same transaction that stores it

    async def _article(self, response: TextResponse) -> ArticleItem | None:
        snapshot = snapshot_of(response)
        stats = self.crawler.stats
        try:
            extracted = await self.extractor.extract(snapshot)
        except Exception as exc:  # extraction must never raise; if it does, the crawl goes on
            stats.inc_value(f"extract/error/{type(exc).__name__}")
            LOGGER.error("extraction failed on %s: %r", response.url, exc, exc_info=True)
            return None
        if self.rendering.retry_in_browser(response, extracted):  # an app shell: fetched again in a browser
            return None
        site = site_of(response.url)
        stats.inc_value(f"site/{site}/pages")
        if not extracted.is_article:
            stats.inc_value(f"extract/not_article/{extracted.reason or 'other'}")
            if extracted.reason in EMPTY_BODY_REASONS:
                stats.inc_value(f"site/{site}/empty_body")
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
        stats.inc_value(f"site/{site}/articles")
        if extracted.published is None:
            stats.inc_value(f"site/{site}/no_date")
        return article_item(extracted, response)

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
        if self.rendering.browser_failed(failure):  # no browser for a page that needs one: one error, crawl stops
            return
        if failure.check(HttpError):
            response = failure.value.response
            status = response.status
            state = frontier.GONE if status in (404, 410) else frontier.FAILED
            stats.inc_value(f"errors/http_{status}")
            self._finish(response, state, status=status, error=f"HTTP {status}", headers=response.headers)
            if state == frontier.GONE:
                gone_url, when = canonicalize(response.url), utcnow()
                self.db.send(lambda session: articles.mark_gone(session, gone_url, when))
            return
        if failure.check(IgnoreRequest):  # robots.txt, a known redirect target, a loop: final, not an error
            stats.inc_value("pages/ignored")
            self._finish(request, frontier.SKIPPED, error=failure.getErrorMessage()[:500])
            return
        kind = failure.type.__name__
        stats.inc_value(f"errors/{kind}")
        LOGGER.info("fetch failed: %s: %s", request.url, failure.getErrorMessage())
        self._finish(request, frontier.FAILED, error=f"{kind}: {failure.getErrorMessage()}"[:500])


EMPTY_BODY_REASONS = frozenset({"empty", "empty-body", "no-body", "short-body", "too-short"})


def finish_keys(session, keys, state, *, status=None, error=None, headers=None, body_hash=None) -> None:
    """Records the outcome of a fetch on every frontier row it answered (the URL and its redirects)."""
    etag = header(headers, b"ETag") if headers is not None else None
    last_modified = header(headers, b"Last-Modified") if headers is not None else None
    for key in keys:
        frontier.finish(
            session, key, state, status=status, error=error, etag=etag, last_modified=last_modified,
            fetched_at=utcnow() if status is not None else None, body_hash=body_hash,
        )


def lastmod_newer(new: str, old: str) -> bool:
    """True when sitemap lastmod ``new`` is later than ``old`` (unparseable values: when they differ)."""
    a, b = parse_structured_date(new), parse_structured_date(old)
    if a is None or b is None:
        return new != old
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a > b
