"""The baseline of bench/crawl_speed.py: a plain Scrapy spider, as a new user would write one.

It follows every in-site link (skipping query strings, ``/amp/`` and the calendar so that it ends) and
calls ``trafilatura.extract`` in its callback, on the reactor thread. Items go to a JSON-lines file.

    python bench/plain_spider.py OUT.jsonl ROOT_URL...
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

import trafilatura
from scrapy import Request, Spider
from scrapy.crawler import CrawlerProcess
from scrapy.http import TextResponse


class PlainSpider(Spider):
    name = "plain"

    def __init__(self, roots: list[str], out: str, **kwargs):
        super().__init__(**kwargs)
        self.roots = roots
        self.netlocs = {urlsplit(r).netloc for r in roots}
        self.out = open(out, "w", encoding="utf-8")

    async def start(self):
        for root in self.roots:
            yield Request(root)

    def parse(self, response):
        if not isinstance(response, TextResponse):
            return
        text = trafilatura.extract(response.text, url=response.url, include_comments=False)
        if text:
            self.out.write(json.dumps({"url": response.url, "text": text}, ensure_ascii=False) + "\n")
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("#", 1)[0]
            parts = urlsplit(url)
            if parts.netloc not in self.netlocs or parts.query or "/amp/" in parts.path or "calendar" in parts.path:
                continue
            yield Request(url)

    def closed(self, reason):
        self.out.close()


def main(argv: list[str]) -> int:
    out, roots = argv[0], argv[1:]
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING",
        "ROBOTSTXT_OBEY": True,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "DOWNLOAD_MAXSIZE": 16 * 1024 * 1024,  # same cap as blogcrawl, so the gzip bomb is cut for both
        "TELNETCONSOLE_ENABLED": False,
    })
    process.crawl(PlainSpider, roots=roots, out=out)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
