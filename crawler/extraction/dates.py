"""Publication and modification dates of the page: the locating rules live in crawler.dates.locate."""

from __future__ import annotations

from crawler.dates.locate import Dates, article_scope, extract_dates, headline_window

__all__ = ["Dates", "article_scope", "extract_dates", "headline_window"]
