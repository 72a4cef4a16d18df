"""What a failed fetch means for its frontier rows: the state to record, the stats key, and whether the
article it stood for is gone. Pure (a Twisted failure in, a record out)."""

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
