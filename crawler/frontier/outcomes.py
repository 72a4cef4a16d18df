"""What a failed fetch means for its frontier rows: the state to record, the stats key, and whether the
article it stood for is gone. ``fetch_failure`` is pure (a Twisted failure in, a record out); ``record_*``
hand the outcome to a frontier (the store's or the fleet's: anything with ``finish`` and ``gone``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.urls import canonicalize
from pipelines.storage.frontier import FAILED, GONE, SKIPPED

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchFailure:
    meta: dict  # of the request or response holding the frontier keys
    state: str
    stat: str
    error: str
    status: int | None = None
    headers: object = None
    gone_key: str | None = None  # the canonical URL of an article that is gone (404, 410)


def fetch_failure(failure) -> FetchFailure:
    if failure.check(HttpError):
        response = failure.value.response
        gone = response.status in (404, 410)
        return FetchFailure(response.meta, GONE if gone else FAILED, f"errors/http_{response.status}", f"HTTP {response.status}",
                            response.status, response.headers, canonicalize(response.url) if gone else None)
    request = failure.request
    if failure.check(IgnoreRequest):  # robots.txt, a known redirect target, a loop: final, not an error
        return FetchFailure(request.meta, SKIPPED, "pages/ignored", failure.getErrorMessage()[:500])
    kind = failure.type.__name__
    LOGGER.info("fetch failed: %s: %s", request.url, failure.getErrorMessage())
    return FetchFailure(request.meta, FAILED, f"errors/{kind}", f"{kind}: {failure.getErrorMessage()}"[:500])


def record_fetch_failure(frontier, failure, stats) -> None:
    failed = fetch_failure(failure)
    stats.inc_value(failed.stat)
    frontier.finish(failed.meta, failed.state, status=failed.status, error=failed.error, headers=failed.headers)
    if failed.gone_key:
        frontier.gone(failed.gone_key)


def record_item_error(frontier, item, failure, stats) -> None:
    """An article the pipeline failed to store: its rows fail (the next run fetches it again)."""
    keys = getattr(item, "frontier_keys", None)
    if keys:
        stats.inc_value(f"errors/pipeline/{failure.type.__name__}")
        frontier.finish({"frontier_keys": keys}, FAILED, status=item.status, error=failure.getErrorMessage()[:500])
