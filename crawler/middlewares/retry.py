"""BackoffRetryMiddleware: Scrapy's retries, with exponential backoff, jitter and ``Retry-After``.

Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` (disabled in the settings) and keeps
its settings (``RETRY_TIMES``, ``RETRY_HTTP_CODES``, ``RETRY_EXCEPTIONS``, ``dont_retry``,
``max_retry_times``). A retry goes back to the scheduler at once, with the time before which it must
not be sent in its meta (``not_before``, a ``time.monotonic()`` value): the scheduler keeps it until
then (``crawler.frontier.store.StoreScheduler``, ``crawler.fleet.scheduler.FleetScheduler``), so the
wait holds no download slot and nothing sleeps. The wait is ``Retry-After`` when the server sends one
(seconds or an HTTP date), else ``BASE * 2**(n-1)`` with full jitter; both capped by
``BLOGCRAWL_RETRY_MAX_DELAY``.

A transient database error raised by another middleware (the redirect guard claims its target in
the store) is retried too. Stats: ``retry/count``, ``retry/reason_count/<reason>``, ``retry/max_reached`` (from Scrapy's
``get_retry_request``), ``retry/retry_after`` (waits set by the server), ``retry/delay_ms``.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from crawler.frontier import NOT_BEFORE
from pipelines.storage.faults import is_transient

LOGGER = logging.getLogger(__name__)
_RNG = random.Random()


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds (0 or more); None if absent or invalid."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random = _RNG) -> float:
    """Full-jitter exponential backoff: uniform in [0, min(cap, base * 2**(attempt-1))], never below base/2."""
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return min(cap, max(base / 2, rng.uniform(0, ceiling)))


class BackoffRetryMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_http_codes = {int(x) for x in settings.getlist("RETRY_HTTP_CODES")}
        self.priority_adjust = settings.getint("RETRY_PRIORITY_ADJUST")
        self.exceptions = tuple(
            load_object(x) if isinstance(x, str) else x for x in settings.getlist("RETRY_EXCEPTIONS")
        )
        self.base_delay = settings.getfloat("BLOGCRAWL_RETRY_BASE_DELAY", 0.5)
        self.max_delay = settings.getfloat("BLOGCRAWL_RETRY_MAX_DELAY", 30.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        server_wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        retry = self._retry(request, response_status_message(response.status), server_wait)
        return retry or response

    def process_exception(self, request, exception):
        if request.meta.get("dont_retry", False):
            return None
        if not isinstance(exception, self.exceptions) and not is_transient(exception):
            return None
        return self._retry(request, exception, None)

    def _retry(self, request, reason, server_wait: float | None):
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
        )
        if retry is None:
            return None
        retry.meta["retried_url"] = request.url  # the redirect guard must not take it for a loop
        stats = self.crawler.stats
        if server_wait is not None:
            stats.inc_value("retry/retry_after")
            delay = min(server_wait, self.max_delay)
        else:
            delay = backoff_delay(retry.meta["retry_times"], self.base_delay, self.max_delay)
        stats.inc_value("retry/delay_ms", int(delay * 1000))
        LOGGER.debug("retrying %s in %.2fs (attempt %d)", request.url, delay, retry.meta["retry_times"])
        if delay > 0:
            retry.meta[NOT_BEFORE] = time.monotonic() + delay  # the scheduler holds it until then
        return retry
