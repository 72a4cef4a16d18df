"""BlogSpider: crawls whole blogs through their sitemaps, feeds and links. Glue only.

The frontier is the store's (``crawler.frontier.store``: Scrapy's scheduler, so Scrapy's idle handling
ends the crawl), the run's lock and progress are an extension's (``crawler.extensions.run``), what to
follow is ``crawler.discovery.policy``'s, and each page is parsed once, in an extraction worker
(``crawler.pages.analyse``: article, links, rendering signals). Items go to ``ArticleWriter`` through
the pipeline and the batched writer thread.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse

from crawler.dates.feeds import feed_dates
from crawler.dates.hints import FeedDates
from crawler.discovery import parse_feed, parse_sitemap
from crawler.discovery.policy import Discovery, lastmod_newer
from crawler.extract_pool import ExtractorPool
from crawler.frontier.outcomes import fetch_failure
from crawler.frontier.store import StoreFrontier
from crawler.items import ArticleItem
from crawler.rendering import RenderPolicy
from crawler.snapshots import article_item, body_hash, page_time, snapshot_of
from crawler.urls import is_http_url, looks_like_listing, root_of, site_of
from pipelines.storage.frontier import DONE, FAILED, SKIPPED

LOGGER = logging.getLogger(__name__)
HTML_TYPES = (b"text/html", b"application/xhtml+xml")
EMPTY_BODY_REASONS = frozenset({"empty", "empty-body", "no-body", "short-body", "too-short"})
STORE_SETTINGS = {"SCHEDULER": "crawler.frontier.store.StoreScheduler"}
RUN_EXTENSION = "crawler.extensions.run.StoreRunExtension"


class BlogSpider(Spider):
    name = "blog"
    run_id: int | None = None

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
        self.feed_dates = FeedDates()  # dates: feed items' dates, for pages that state none (crawler/dates/hints.py)

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        for name, value in STORE_SETTINGS.items():
            settings.set(name, value, priority="spider")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), RUN_EXTENSION: 100}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.frontier = StoreFrontier.for_crawler(crawler)
        spider.discovery = Discovery(spider.roots, settings.getint("BLOGCRAWL_MAX_DEPTH"), settings.getint("BLOGCRAWL_MAX_QUERY_DEPTH"))
        spider.rendering = RenderPolicy.from_crawler(crawler, spider.frontier.db.store)  # which pages need a browser
        workers = settings.get("BLOGCRAWL_EXTRACT_WORKERS")
        spider.extractor = ExtractorPool(None if workers in (None, "") else int(workers))
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.item_error, signal=signals.item_error)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.closed_pool, signal=signals.spider_closed)
        return spider

    def opened(self) -> None:
        self.extractor.stats = self.crawler.stats

    def closed_pool(self) -> None:
        self.extractor.close()

    async def start(self):  # the seeds are in the frontier (the run extension adds them)
        return
        yield

    def seeds(self):
        return self.discovery.seeds()

    def request_for(self, row) -> Request:
        """The request for a claimed frontier row (conditional, unless a sitemap: read whole each run)."""
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(row.kind, self.parse_page)
        headers = {"If-None-Match": row.etag, "If-Modified-Since": row.last_modified} if row.kind != "sitemap" else {}
        meta = {"frontier_key": row.url_key, "kind": row.kind, "depth": row.depth, "query_depth": row.query_depth,
                "body_hash": row.body_hash, "handle_httpstatus_list": [304], **self.rendering.request_meta(row.url, row.kind)}
        return Request(row.url, callback=callback, errback=self.fetch_failed, dont_filter=True, priority=row.priority,
                       headers={k: v for k, v in headers.items() if v}, meta=meta)

    def _done(self, response, state=DONE, **kwargs) -> None:
        self.frontier.finish(response.meta, state, status=response.status, headers=response.headers, **kwargs)

    def robots_parsed(self, robotparser, request) -> None:
        self.frontier.add(self.discovery.robots(robotparser, request.url))

    def parse_sitemap(self, response: Response):
        entries = parse_sitemap(response.body, response.url)
        new = self.discovery.sitemap(entries)
        self.frontier.add(new)
        pages = [u for u in new if u.kind == "page"]
        if pages:
            self.frontier.listed_in_sitemap(site_of(response.url), pages, lastmod_newer)
        self.crawler.stats.inc_value("discovery/sitemap_urls", len(entries))
        self._done(response)
        return []

    def parse_feed(self, response: Response):
        if response.status != 304:
            links = parse_feed(response.body, response.url)
            self.feed_dates.record(feed_dates(response.body, response.url, page_time(response)))
            self.frontier.add(self.discovery.accepted([self.discovery.new(u, "post") for u in links]))
            self.crawler.stats.inc_value("discovery/feed_urls", len(links))
        self._done(response)
        return []

    async def parse_page(self, response: Response):
        stats = self.crawler.stats
        if response.status == 304 or response.meta.get("body_hash") == body_hash(response.body):
            stats.inc_value("pages/not_modified" if response.status == 304 else "pages/same_body")
            stats.inc_value("storage/unchanged")
            return self._done(response, body_hash=body_hash(response.body))
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if not isinstance(response, TextResponse) or (content_type and content_type not in HTML_TYPES):
            stats.inc_value("pages/non_html")
            return self._done(response, SKIPPED, error="not html")
        listing = looks_like_listing(response.url)
        try:
            extracted = await self.extractor.extract(snapshot_of(response), not listing)
        except Exception as exc:  # extraction must never raise; if it does, the crawl goes on
            stats.inc_value(f"extract/error/{type(exc).__name__}")
            LOGGER.error("extraction failed on %s: %r", response.url, exc, exc_info=True)
            return self._done(response, body_hash=body_hash(response.body))
        new, aliases = self.discovery.page(response, extracted.links)
        self.frontier.add(new)
        if aliases:
            self.frontier.aliases(aliases)
        if listing:
            stats.inc_value("pages/listing")
        item = None if listing else self._article(response, extracted)
        if item is None and not self.rendering.handed_over(response):  # a rendered copy finishes a handed-over row
            self._done(response, body_hash=body_hash(response.body))
        return [item] if item is not None else []  # an item's rows are finished in the transaction storing it

    def _article(self, response: TextResponse, extracted) -> ArticleItem | None:
        stats, site = self.crawler.stats, site_of(response.url)
        if self.rendering.retry_in_browser(response, extracted):  # an app shell: fetched again in a browser
            return None
        extracted = self.feed_dates.apply(extracted, response.url)  # dates: the feed's date when the page has none
        if extracted.date_source == "feed":
            stats.inc_value("dates/from_feed")
        post_page = extracted.is_article or (extracted.reason in EMPTY_BODY_REASONS and extracted.published is not None)
        if post_page:  # for the site's health; an undated short page (about, contact) is no post page
            stats.inc_value(f"site/{site}/pages")
        if not extracted.is_article or extracted.noindex:
            reason = "noindex" if extracted.is_article else f"not_article/{extracted.reason or 'other'}"
            stats.inc_value(f"extract/{reason}")
            if extracted.reason in EMPTY_BODY_REASONS and post_page:
                stats.inc_value(f"site/{site}/empty_body")
            return None
        canonical = self.discovery.canonical_elsewhere(response.url, extracted.links.canonical)
        if canonical is not None:
            stats.inc_value("dedup/canonical_elsewhere")
            self.frontier.add(self.discovery.accepted([self.discovery.new(canonical, "post", parent=response)]))
            return None
        for key in ("extract/article", f"site/{site}/articles") + ((f"site/{site}/no_date",) if extracted.published is None else ()):
            stats.inc_value(key)
        return article_item(extracted, response)

    def fetch_failed(self, failure) -> None:
        if self.rendering.browser_failed(failure):  # no browser for a page that needs one: one error, crawl stops
            return
        failed = fetch_failure(failure)
        self.crawler.stats.inc_value(failed.stat)
        self.frontier.finish(failed.meta, failed.state, status=failed.status, error=failed.error, headers=failed.headers)
        if failed.gone_key:
            self.frontier.gone(failed.gone_key)

    def item_error(self, item, response, failure) -> None:
        if isinstance(item, ArticleItem) and item.frontier_keys:
            self.crawler.stats.inc_value(f"errors/pipeline/{failure.type.__name__}")
            meta = {"frontier_keys": item.frontier_keys}
            self.frontier.finish(meta, FAILED, status=item.status, error=failure.getErrorMessage()[:500])
