"""BlogSpider: crawls whole blogs through their sitemaps, feeds and links. Glue only.

The frontier is the store's (``crawler.frontier.store``: Scrapy's scheduler, so Scrapy's idle handling
ends the crawl), the run's lock and progress are an extension's (``crawler.extensions.run``), what to
follow is ``crawler.discovery.policy``'s, and each page is parsed once, in an extraction worker
(``crawler.pages.analyse``: article, links, rendering signals). Items go to ``ArticleWriter`` through
the pipeline and the batched writer thread.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import Response

from crawler.dates.hints import FeedDates
from crawler.discovery import wpapi
from crawler.discovery import parse_sitemap
from crawler.discovery.policy import Discovery, lastmod_newer
from crawler.extensions.sitehealth import API_CUT
from crawler.extract_pool import ExtractorPool
from crawler.frontier.outcomes import record_fetch_failure, record_item_error
from crawler.frontier.store import StoreFrontier
from crawler.rendering import RenderPolicy
from crawler.snapshots import article_item, body_hash, page_time, snapshot_of
from crawler.urls import site_of
from pipelines.storage.frontier import DONE

from .roots import crawl_roots
from .verdict import judge, not_extracted

LOGGER = logging.getLogger(__name__)
STORE_SETTINGS = {"SCHEDULER": "crawler.frontier.store.StoreScheduler"}
RUN_EXTENSION = "crawler.extensions.run.StoreRunExtension"


class BlogSpider(Spider):
    name = "blog"
    run_id: int | None = None

    def __init__(self, url: str | None = None, urls: list[str] | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roots = crawl_roots(url, urls)
        self.sites = {site_of(u) for u in self.roots}
        self.allowed_domains = sorted({urlsplit(u).hostname for u in self.roots})
        self.feed_dates = FeedDates()  # dates: feed items' dates, for pages that state none (crawler/dates/hints.py)

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        settings.update(STORE_SETTINGS, priority="spider")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), RUN_EXTENSION: 100}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.frontier = StoreFrontier.for_crawler(crawler)
        spider.discovery = Discovery(spider.roots, settings.getint("BLOGCRAWL_MAX_DEPTH"), settings.getint("BLOGCRAWL_MAX_QUERY_DEPTH"))
        spider.rendering = RenderPolicy.from_crawler(crawler, spider.frontier.db.store, spider.frontier.db)  # which pages need a browser
        spider.extractor = ExtractorPool.from_crawler(crawler)  # closed with the spider
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.item_error, signal=signals.item_error)
        return spider

    async def start(self):  # the seeds are in the frontier (the run extension adds them)
        return
        yield

    def seeds(self):
        return self.discovery.seeds()

    def request_for(self, row) -> Request:
        """The request for a claimed frontier row (conditional, unless a sitemap or a WordPress REST list: read
        whole each run; a REST list asks only for what changed, and a 304 would hide whether REST still refuses)."""
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed, "api": self.parse_feed}.get(row.kind, self.parse_page)
        whole = row.kind == "sitemap" or wpapi.is_posts_url(row.url)
        headers = {} if whole else {"If-None-Match": row.etag, "If-Modified-Since": row.last_modified}
        meta = {"frontier_key": row.url_key, "kind": row.kind, "depth": row.depth, "query_depth": row.query_depth,
                "body_hash": row.body_hash, "handle_httpstatus_list": wpapi.handled_statuses(row.url), **self.rendering.request_meta(row.url, row.kind),
                "hints": row.hints}  # the store's hints (a feed's date): PageSnapshot.hints
        return Request(self.discovery.request_url(row), callback=callback, errback=self.fetch_failed, dont_filter=True, priority=row.priority,
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
        self.frontier.listed_in_sitemap(site_of(response.url), pages, lastmod_newer) if pages else None
        self.crawler.stats.inc_value("discovery/sitemap_urls", len(entries))
        self._done(response)
        return []

    def parse_feed(self, response: Response):
        if response.status != 304:
            found = self.discovery.feed(response, page_time(response))  # a feed, or a WordPress REST posts list
            hints = self.feed_dates.record(found.dates, found.source)  # kept with the URLs (a resume, a fleet's workers)
            self.frontier.add([replace(u, hints=hints[u.url_key]) if u.url_key in hints else u for u in found.new])
            self.frontier.add_hints(hints)  # URLs known before this feed
            self.frontier.listed_in_sitemap(site_of(response.url), found.changed, lastmod_newer) if found.changed else None
            self.crawler.stats.inc_value(found.stat, len(found.new))
            if found.api_off:  # REST off: not asked again for a while (wpapi.FIRST_HOLD, doubling)
                self.frontier.rest_failed(site_of(response.url))
            elif found.source == "api":
                self.frontier.rest_answered(site_of(response.url))
            if found.cut:  # a REST list longer than the cap: its other posts come from the sitemaps (said in runs)
                self.crawler.stats.set_value(API_CUT + site_of(response.url), found.cut)
        self._done(response)
        return []

    async def parse_page(self, response: Response):
        stats, skip = self.crawler.stats, not_extracted(response)
        if skip is not None:
            for key in skip.stats:
                stats.inc_value(key)
            return self._done(response, skip.state, error=skip.error, body_hash=body_hash(response.body) if skip.unchanged else None)
        listing = self.discovery.is_listing(response)
        try:
            extracted = await self.extractor.extract(snapshot_of(response), not listing)
        except Exception as exc:  # extraction must never raise; if it does, the crawl goes on
            stats.inc_value(f"extract/error/{type(exc).__name__}")
            LOGGER.error("extraction failed on %s: %r", response.url, exc, exc_info=True)
            return self._done(response, body_hash=body_hash(response.body))
        new, aliases = self.discovery.page(response, extracted.links)
        self.frontier.add(new)
        self.frontier.aliases(aliases)
        if listing:
            stats.inc_value("pages/listing")
        item = None if listing else self._article(response, extracted)
        if item is None and not self.rendering.handed_over(response):  # a rendered copy finishes a handed-over row
            self._done(response, body_hash=body_hash(response.body))
        return [item] if item is not None else []  # an item's rows are finished in the transaction storing it

    def _article(self, response, extracted):
        """The page's article item, or None (counted: what the page was, or why it is not stored)."""
        if self.rendering.retry_in_browser(response, extracted):  # an app shell: fetched again in a browser
            return None
        extracted = self.feed_dates.apply(extracted, response.url, response.meta.get("hints"))  # the feed's date when the page has none
        canonical = self.discovery.canonical_elsewhere(response.url, extracted.links.canonical if extracted.links else None)
        verdict = judge(extracted, site_of(response.url), canonical)
        for key in verdict.stats:
            self.crawler.stats.inc_value(key)
        if verdict.follow:
            self.frontier.add(self.discovery.accepted([self.discovery.new(verdict.follow, "post", parent=response)]))
        return article_item(extracted, response) if verdict.store else None

    def fetch_failed(self, failure) -> None:
        if not self.rendering.browser_failed(failure):  # no browser for a page that needs one: one error, crawl stops
            record_fetch_failure(self.frontier, failure, self.crawler.stats)

    def item_error(self, item, response, failure) -> None:
        record_item_error(self.frontier, item, failure, self.crawler.stats)
