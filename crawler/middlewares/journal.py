"""ResponseJournalMiddleware: what a killed crawl fetched and had not stored is not fetched again.

Next to the downloader (like the WARC archive), it sees each response as sent. A 200 HTML answer to a
frontier page request, and each site's robots.txt answer, go to the response journal
(``pipelines.storage.journal``) through the crawl's writer thread: queued before the page's article,
so they commit in its transaction or an earlier one; the transaction that finishes the page's frontier
row deletes its entry. Nothing is written on the event loop but the queueing (the body is compressed
in the writer thread).

In a resumed run (the store frontier's ``replayable``: the killed run's journal), a request whose
response is journaled is answered from the store, once, without the network: a page still unstored,
or a robots.txt fetched less than ``BLOGCRAWL_JOURNAL_ROBOTS_MAX_AGE`` seconds ago. The answer goes
through every middleware as a download would (decompression, redirects, size limits, robots rules).

Off with ``BLOGCRAWL_JOURNAL=False``; inactive for spiders without the store frontier (a fleet's).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler.frontier.store import StoreFrontier
from crawler.snapshots import header, utcnow
from pipelines.storage import journal
from pipelines.storage.batch import BatchWriter

LOGGER = logging.getLogger(__name__)
FLAG = "journal"  # in the flags of a response answered from the journal
_NOT_PAGES = ("sitemap", "feed", "api")
_HOP_BY_HOP = {b"transfer-encoding", b"content-length"}  # the body is kept whole, de-chunked


class ResponseJournalMiddleware:
    def __init__(self, crawler, db: BatchWriter, max_bytes: int):
        self.crawler = crawler
        self.db = db
        self.max_bytes = max_bytes

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("BLOGCRAWL_JOURNAL", True):
            raise NotConfigured
        return cls(crawler, BatchWriter.for_crawler(crawler), crawler.settings.getint("BLOGCRAWL_JOURNAL_MAX_BYTES", 4 << 20))

    def _replayable(self) -> journal.Replayable | None:
        """The run's journal state; None when the spider's frontier is not the store's, or not open."""
        frontier = getattr(self.crawler.spider, "frontier", None)
        return frontier.replayable if isinstance(frontier, StoreFrontier) else None

    async def process_request(self, request):
        replayable = self._replayable()
        key, kind = _key(request)
        if replayable is None or key is None or not replayable.take(key, kind):
            return None
        entry = await self.db.submit(lambda session: journal.get(session, key), urgent=True)
        if entry is None:  # finished meanwhile
            return None
        self.crawler.stats.inc_value(f"journal/replayed/{kind}")
        return _response(request, entry)

    def process_response(self, request, response):
        if FLAG in response.flags or self._replayable() is None:
            return response
        key, kind = _key(request)
        if key is None or response.url != request.url or not self._keeps(kind, response):
            return response
        entry = journal.Entry(key, kind, response.url, response.status, _headers(response), response.body, utcnow())
        self.db.send(lambda session: journal.put(session, entry))
        self.crawler.stats.inc_value(f"journal/written/{kind}")
        return response

    def _keeps(self, kind: str, response) -> bool:
        if len(response.body) > self.max_bytes:
            return False
        if kind == journal.ROBOTS:  # an answer Scrapy reads as rules (a redirect is followed, an error retried)
            return 200 <= response.status < 300 or 400 <= response.status < 500
        content_type = (header(response.headers, b"Content-Type") or "text/html").lower()
        return response.status == 200 and "html" in content_type


def _key(request) -> tuple[str | None, str]:
    """The journal key of a request: a frontier page's key (of this hop: the last of a redirect chain),
    or a robots.txt request's URL; None for anything else (sitemaps, feeds, browser renders)."""
    meta = request.meta
    if "frontier_key" not in meta:
        robots = meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt"
        return (request.url, journal.ROBOTS) if robots else (None, journal.PAGE)
    if meta.get("kind") in _NOT_PAGES or meta.get("playwright") or request.method != "GET":
        return None, journal.PAGE
    keys = meta.get("frontier_keys") or [meta["frontier_key"]]
    return keys[-1], journal.PAGE


def _headers(response) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items() if name.lower() not in _HOP_BY_HOP for value in values]


def _response(request, entry: journal.Entry):
    headers = Headers()
    for name, value in entry.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=entry.url, body=entry.body)
    return cls(url=entry.url, status=entry.status, headers=headers, body=entry.body, request=request, flags=[FLAG])
