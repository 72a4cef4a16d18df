"""ExtractSizeMiddleware: HTML pages too large to be blog posts never reach the spider's callbacks.

``DOWNLOAD_MAXSIZE`` bounds what is downloaded (and what a gzip body may inflate to); parsing a page
costs far more memory than its bytes (lxml trees, trafilatura's copies), so pages bigger than
``BLOGCRAWL_MAX_EXTRACT_BYTES`` (default 4 MiB; 0 switches the check off) are dropped right after
decompression: no link discovery, no extraction. Sitemaps and feeds (``kind`` in the request meta)
and non-HTML bodies are left alone (the spider skips non-HTML itself).

The request's errback gets ``ResponseTooLarge`` (an ``IgnoreRequest``), so the frontier records the
URL as failed with the reason. Stats: ``extract_size/too_large``, ``extract_size/too_large_bytes``.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest, NotConfigured

LOGGER = logging.getLogger(__name__)
HTML_TYPES = (b"text/html", b"application/xhtml+xml", b"")


class ResponseTooLarge(IgnoreRequest):
    """An HTML page larger than ``BLOGCRAWL_MAX_EXTRACT_BYTES``."""


class ExtractSizeMiddleware:
    def __init__(self, crawler, max_bytes: int):
        self.crawler = crawler
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        max_bytes = crawler.settings.getint("BLOGCRAWL_MAX_EXTRACT_BYTES")
        if max_bytes <= 0:
            raise NotConfigured
        return cls(crawler, max_bytes)

    def process_response(self, request, response):
        if len(response.body) <= self.max_bytes or request.meta.get("kind", "page") != "page":
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
        if content_type not in HTML_TYPES:
            return response
        stats = self.crawler.stats
        stats.inc_value("extract_size/too_large")
        stats.inc_value("extract_size/too_large_bytes", len(response.body))
        LOGGER.warning("not extracting %s: %d bytes > BLOGCRAWL_MAX_EXTRACT_BYTES=%d",
                       response.url, len(response.body), self.max_bytes)
        raise ResponseTooLarge(f"page too large to extract: {len(response.body)} bytes")
