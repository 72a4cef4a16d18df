"""FetchOneSpider: fetches a single URL with the crawl's settings (robots.txt, retries, size limits) and
keeps the final response or the failure for the caller. No items, no pipelines."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.urls import site_of


class FetchOneSpider(Spider):
    name = "fetch_one"
    custom_settings = {"ITEM_PIPELINES": {}, "ROBOTSTXT_OBEY": True}

    def __init__(self, url: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url = url
        self.sites = {site_of(url)}  # the one site this fetch may reach (redirects included)
        self.allowed_domains = [urlsplit(url).hostname]
        self.response = None
        self.failure_reason: str | None = None

    async def start(self):
        yield Request(self.url, callback=self.got, errback=self.failed, dont_filter=True)

    def got(self, response):
        self.response = response
        return []

    def failed(self, failure) -> None:
        if failure.check(HttpError):
            response = failure.value.response
            if response.status in (404, 410):
                self.response = response
                return
            self.failure_reason = f"HTTP {response.status}"
            return
        self.failure_reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
