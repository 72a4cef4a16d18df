"""What one fetched page means for the crawl: an article to store, or the counted reason it is not.

``judge(extracted, site, canonical)`` is pure: the stats keys to count, whether the page is stored, and
the page to fetch instead when its rel=canonical names another page of a crawled site (``canonical``).
``not_extracted(response)`` tells the pages not worth extracting (unchanged since the last fetch, not HTML).
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.items import Extracted

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
EMPTY_BODY_REASONS = frozenset({"empty", "empty-body", "no-body", "short-body", "too-short"})


@dataclass(frozen=True, slots=True)
class Verdict:
    store: bool
    stats: tuple[str, ...]
    follow: str | None = None  # the page's rel=canonical, stored instead of it


def judge(extracted: Extracted, site: str, canonical: str | None) -> Verdict:
    stats = ["dates/from_feed"] if extracted.date_source == "feed" else []
    # for the site's health; an undated short page (about, contact) is no post page
    post_page = extracted.is_article or (extracted.reason in EMPTY_BODY_REASONS and extracted.published is not None)
    if post_page:
        stats.append(f"site/{site}/pages")
    if not extracted.is_article or extracted.noindex:
        stats.append("extract/noindex" if extracted.is_article else f"extract/not_article/{extracted.reason or 'other'}")
        if extracted.reason in EMPTY_BODY_REASONS and post_page:
            stats.append(f"site/{site}/empty_body")
        return Verdict(False, tuple(stats))
    if canonical is not None:
        return Verdict(False, (*stats, "dedup/canonical_elsewhere"), canonical)
    stats += ["extract/article", f"site/{site}/articles"]
    if extracted.published is None:
        stats.append(f"site/{site}/no_date")
    return Verdict(True, tuple(stats))


@dataclass(frozen=True, slots=True)
class Skip:
    stats: tuple[str, ...]
    state: str
    error: str | None = None
    unchanged: bool = False  # the body is the one stored: its hash is recorded again


def not_extracted(response) -> Skip | None:
    """Why a fetched page is not extracted (stats, frontier state), or None when it is to be."""
    from scrapy.http import TextResponse

    from crawler.snapshots import body_hash
    from pipelines.storage.frontier import DONE, SKIPPED

    if response.status == 304 or response.meta.get("body_hash") == body_hash(response.body):
        return Skip(("pages/not_modified" if response.status == 304 else "pages/same_body", "storage/unchanged"), DONE, unchanged=True)
    content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
    if not isinstance(response, TextResponse) or (content_type and content_type not in HTML_TYPES):
        return Skip(("pages/non_html",), SKIPPED, "not html")
    return None
