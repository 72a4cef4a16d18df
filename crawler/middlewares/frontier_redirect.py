"""FrontierRedirectMiddleware: a redirect target is a URL of the frontier like any other.

A redirect to a page already fetched in this run (``/?p=12`` → the post) is not fetched twice, a
redirect back to a URL of its own chain (a loop) is stopped at once, and a redirect that leaves the
crawled sites is dropped.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest

from crawler.urls import canonicalize, site_of
from pipelines.storage import frontier
from pipelines.storage.batch import BatchWriter

LOGGER = logging.getLogger(__name__)


class FrontierRedirectMiddleware:
    def __init__(self, crawler, db: BatchWriter):
        self.crawler = crawler
        self.db = db

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, BatchWriter.for_crawler(crawler))

    async def process_request(self, request):
        if request.meta.pop("retried_url", None) == request.url:
            return None  # a retry (BackoffRetryMiddleware) of a hop claimed already, not a new redirect
        if not request.meta.get("redirect_urls") or "frontier_key" not in request.meta:
            return None
        spider = self.crawler.spider
        site = site_of(request.url)
        if site not in getattr(spider, "sites", ()):
            self.crawler.stats.inc_value("frontier/redirect_offsite")
            raise IgnoreRequest(f"redirect leaves the crawled sites: {request.url}")
        key = canonicalize(request.url)
        keys = request.meta.setdefault("frontier_keys", [request.meta["frontier_key"]])
        if key in keys:
            self.crawler.stats.inc_value("frontier/redirect_loop")
            raise IgnoreRequest(f"redirect loop: {' -> '.join(request.meta['redirect_urls'])} -> {request.url}")
        new = frontier.NewUrl(url_key=key, url=request.url, site=site, kind=request.meta.get("kind", "page"))
        run_id = spider.run_id
        claimed = await self.db.submit(lambda session: frontier.mark_claimed(session, new, run_id), urgent=True)
        if not claimed:
            self.crawler.stats.inc_value("frontier/redirect_known")
            raise IgnoreRequest(f"redirect to a URL already fetched: {request.url}")
        keys.append(key)
        return None
