"""FleetRedirectMiddleware: FrontierRedirectMiddleware's offsite rule for fleet crawls.

In a fleet, a redirect target goes back through the shared scheduler like any request, so the shared
dupefilter drops a target fetched (or queued) by any process — ``/?p=12`` → a post already fetched — and
a redirect back into its own chain (a loop). What is left here: a redirect that leaves the crawled sites
is dropped.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawler.urls import site_of


class FleetRedirectMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if not request.meta.get("redirect_urls"):
            return None
        if site_of(request.url) not in getattr(self.crawler.spider, "sites", ()):
            self.crawler.stats.inc_value("frontier/redirect_offsite")
            raise IgnoreRequest(f"redirect leaves the crawled sites: {request.url}")
        return None
