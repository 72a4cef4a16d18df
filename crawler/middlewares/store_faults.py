"""StoreFaultMiddleware (spider middleware): database errors in the spider never lose a page silently.

- A transient database error (connection lost mid-transaction) raised by a callback fetches the page
  again: callbacks are idempotent (the frontier insert ignores known URLs, extraction is pure, the
  store upserts), so running the page again loses nothing. Stats: ``store/callback_retry/count``,
  ``.../max_reached`` (``BLOGCRAWL_DB_CALLBACK_RETRIES`` re-fetches at most).
- A fatal one (read-only database, disk full: ``pipelines.storage.faults``) stops the crawl with a
  one-line reason, from a callback or from ``start()``; ``blogcrawl crawl`` prints the reason and
  exits non-zero. Stats: ``store/fatal``.
- The same for an item pipeline (``item_error`` signal): a transient error fetches the page again, a
  fatal one stops the crawl.
- An error that escapes ``start()`` closes the crawl as ``store_error`` instead of letting it end as
  ``finished`` with the frontier unread.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro

from pipelines.storage.engine import redact
from pipelines.storage.faults import db_error, fatal_reason, is_transient

LOGGER = logging.getLogger(__name__)


def store_stop_reason(crawler, exc: BaseException) -> str | None:
    """The crawl's closing reason for a fatal store error (one line, no credentials), or None."""
    reason = fatal_reason(exc)
    if reason is None:
        return None
    db_url = crawler.settings.get("BLOGCRAWL_DB") or ""
    return f"store_failed: {reason} ({redact(db_url) if db_url else 'default store'})"


def stop_crawl(crawler, reason: str) -> None:
    """Closes the spider with ``reason`` (once; later calls are ignored)."""
    if getattr(crawler, "_blogcrawl_stopping", None):
        return
    crawler._blogcrawl_stopping = reason
    crawler.stats.inc_value("store/fatal")
    LOGGER.error("stopping the crawl: %s", reason)
    deferred_from_coro(crawler.engine.close_spider_async(reason=reason))


class StoreFaultMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.max_retries = crawler.settings.getint("BLOGCRAWL_DB_CALLBACK_RETRIES", 5)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        try:
            async for item_or_request in start:
                yield item_or_request
        except Exception as exc:
            reason = store_stop_reason(self.crawler, exc)
            if reason is None and db_error(exc) is not None:
                reason = f"store_error: {type(exc).__name__} in start()"
            if reason is None:
                raise
            self.crawler.stats.inc_value("store/fatal")
            LOGGER.error("stopping the crawl: %s", reason)
            raise CloseSpider(reason) from exc

    def process_spider_exception(self, response, exception):
        reason = store_stop_reason(self.crawler, exception)
        if reason is not None:
            stop_crawl(self.crawler, reason)
            return []
        retry = self._refetch(response, exception, "store/callback_retry")
        return [retry] if retry is not None else None

    def item_error(self, item, response, spider, failure) -> None:
        exception = failure.value
        reason = store_stop_reason(self.crawler, exception)
        if reason is not None:
            stop_crawl(self.crawler, reason)
            return
        retry = self._refetch(response, exception, "store/pipeline_retry")
        if retry is not None:
            self.crawler.engine.crawl(retry)

    def _refetch(self, response, exception, stats_key: str):
        """A new request for the page whose processing hit a transient database error, or None."""
        if not is_transient(exception) or not isinstance(response, Response) or response.request is None:
            return None
        request = response.request
        attempts = request.meta.get("store_retries", 0) + 1  # apart from HTTP retries (retry_times)
        stats = self.crawler.stats
        if attempts > self.max_retries:
            stats.inc_value(f"{stats_key}/max_reached")
            LOGGER.error("gave up on %s after %d database errors: %s", request.url, attempts, exception)
            return None
        stats.inc_value(f"{stats_key}/count")
        LOGGER.info("fetching %s again: database %s", request.url, type(exception).__name__)
        retry = request.copy()
        retry.dont_filter = True
        retry.meta["store_retries"] = attempts
        retry.meta["retried_url"] = retry.url  # else the redirect guard takes the re-fetch for a loop
        return retry
