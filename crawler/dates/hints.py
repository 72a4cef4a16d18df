"""Dates discovery saw before the page: recorded when a feed lists a URL, used when the page gives none.

    hints = FeedDates()
    hints.record(feed_dates(body, feed_url, fetched_at))     # when a feed is parsed
    extracted = hints.apply(extracted, page_url, row_hints)   # when the page is extracted

The dates are also kept in the store, on the frontier rows (``date_hints`` gives ``{url_key:
{"published": ISO}}``; the row's hints come back on the request as ``row_hints``), so a resumed run or
another worker of a fleet applies them as well as the process that read the feed.

The page's own date always wins; a feed date fills ``published`` (``date_source`` ``feed``, or ``api``
for a WordPress REST list: ``crawler/discovery/wpapi.py``) only when
the page states none, and a page a feed lists is a post even when extraction found no date on it
(reason ``no-date``). A sitemap ``lastmod`` is never recorded: it is a modification time.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from crawler.items import Extracted
from crawler.urls import canonicalize

__all__ = ["FeedDates", "date_hints", "hinted_date"]

_MAX_HINTS = 200_000  # a bound on memory: the first dates seen are kept


class FeedDates:
    """Feed item dates by canonical URL, for one crawl process."""

    def __init__(self) -> None:
        self._dates: dict[str, tuple[datetime, str]] = {}

    def __len__(self) -> int:
        return len(self._dates)

    def record(self, pairs: Iterable[tuple[str, datetime]], source: str = "feed") -> dict[str, dict]:
        """Records ``(url, date)`` pairs read from a feed (``source`` ``feed``) or a WordPress REST list (``api``);
        returns them as frontier hints (``date_hints``), for the store."""
        pairs = list(pairs)
        for url, value in pairs:
            if len(self._dates) >= _MAX_HINTS:
                break
            self._dates.setdefault(canonicalize(url), (value, source))  # main feed first; a category feed repeats it
        return date_hints(pairs, source)

    def get(self, *urls: str) -> datetime | None:
        found = self._get(*urls)
        return found[0] if found else None

    def _get(self, *urls: str) -> tuple[datetime, str] | None:
        for url in urls:
            if url:
                found = self._dates.get(canonicalize(url))
                if found is not None:
                    return found
        return None

    def apply(self, extracted: Extracted, page_url: str, row_hints: dict | None = None) -> Extracted:
        """``extracted`` with the feed's date when the page gives none (by its canonical or fetched URL,
        else the frontier row's ``row_hints``)."""
        if extracted.published is not None:
            return extracted
        found = self._get(extracted.url, page_url) or _hinted(row_hints)
        if found is None:
            return extracted
        if not extracted.is_article and extracted.reason != "no-date":
            return extracted
        return replace(extracted, published=found[0], date_source=found[1], is_article=True, reason=None)


def date_hints(pairs: Iterable[tuple[str, datetime]], source: str = "feed") -> dict[str, dict]:
    """Frontier hints of feed dates: ``{url_key: {"published": ISO 8601}}`` (the first date of a URL), with
    ``"source": "api"`` for the dates of a WordPress REST list."""
    hints: dict[str, dict] = {}
    for url, value in pairs:
        hints.setdefault(canonicalize(url), {"published": value.isoformat(), **({"source": source} if source != "feed" else {})})
    return hints


def hinted_date(hints: dict | None) -> datetime | None:
    """The feed date a frontier row's hints hold, if any."""
    found = _hinted(hints)
    return found[0] if found else None


def _hinted(hints: dict | None) -> tuple[datetime, str] | None:
    value = (hints or {}).get("published")
    try:
        found = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return (found, (hints or {}).get("source") or "feed") if found else None
