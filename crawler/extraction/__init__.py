"""Article extraction: ``extract(snapshot) -> Extracted``, a pure function of the fetched bytes.

No network, database or clock; never raises. Steps: decode the bytes (decode), parse and read the
metadata (document), find the canonical URL (canonical), the site name, headline, author and dates
(sitename, title, author, dates), clean the tree and extract the body (clean, body, lines, lead), fall
back on trafilatura's metadata guesses for empty fields (fallbacks), set the language (language) and
decide whether the page is an article (classify).
"""

from __future__ import annotations

import logging

from lxml import etree

from crawler.items import Extracted, PageSnapshot

from .author import clean_author, extract_author
from .body import extract_body, trafilatura_options
from .canonical import canonical_url
from .classify import classify, noindex
from .clean import camel_nav_name, noise_name
from .dates import extract_dates
from .decode import NotHtml, decode_page
from .document import Document, parse_html
from .explain import Explanation, collecting
from .lead import description
from .language import declared_language, extract_language
from .sitename import extract_sitename
from .patterns import normalize
from .text import fold, squash
from .title import extract_title

LOGGER = logging.getLogger(__name__)

__all__ = ["extract", "extract_document"]


def extract(snapshot: PageSnapshot, explain: Explanation | None = None, *, errors: str = "catch") -> Extracted:
    """Extract one page. Failures become ``Extracted(is_article=False, reason=...)``; with
    ``errors="raise"`` (tests) an internal error raises instead of becoming ``reason="error: ..."``. With
    ``explain``, every removed block is reported there with its reason (``explain.py``)."""
    if explain is not None:
        with collecting(explain):
            return extract(snapshot, errors=errors)
    return extract_document(snapshot, errors=errors)[0]


def extract_document(snapshot: PageSnapshot, *, errors: str = "catch") -> tuple[Extracted, Document | None]:
    """``extract``, and the parsed document it read (None when there was none), for a caller that reads
    more of the same tree (the crawl's worker: links and rendering signals; crawler/pages.py)."""
    try:
        return _extract(snapshot)
    except NotHtml:
        return Extracted(url=snapshot.url, is_article=False, reason="not-html"), None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, etree.LxmlError) as err:
        if errors == "raise":
            raise
        LOGGER.warning("extraction failed for %s: %r", snapshot.url, err)
        return Extracted(url=snapshot.url, is_article=False, reason=f"error: {type(err).__name__}"), None


def parse_page(snapshot: PageSnapshot) -> Document | None:
    """The page's parsed document (None when there is nothing to read), as extraction parses it."""
    if not snapshot.body or not snapshot.body.strip():
        return None
    text, xml_safe = decode_page(snapshot.body, snapshot.http_charset)
    doc = parse_html(text, snapshot.url, xml_safe=xml_safe)
    if doc is None or doc.tree.find(".//body") is None and not doc.tree.text_content().strip():
        return None
    return doc


def _extract(snapshot: PageSnapshot) -> tuple[Extracted, Document | None]:
    fold.cache_clear()  # text keys are memoised within one page only: no page's cost depends on another's
    normalize.cache_clear()
    noise_name.cache_clear()
    camel_nav_name.cache_clear()
    if not snapshot.body or not snapshot.body.strip():
        return Extracted(url=snapshot.url, is_article=False, reason="empty"), None
    doc = parse_page(snapshot)
    if doc is None:
        return Extracted(url=snapshot.url, is_article=False, reason="unparsable"), None
    return _fields(doc, snapshot), doc


def _fields(doc: Document, snapshot: PageSnapshot) -> Extracted:
    url = canonical_url(doc)
    fetched_at = snapshot.fetched_at
    options = trafilatura_options(fetched_at.date().isoformat())
    sitename = extract_sitename(doc)
    title = extract_title(doc, sitename)
    text, guesses, sides = extract_body(doc.tree, options, title, sitename, description(doc), doc.meta_first("keywords"))
    sitename = sitename or squash(guesses.sitename) or None
    language = extract_language(doc, text or title or "")
    dates = extract_dates(doc, fetched_at, _languages(language or declared_language(doc)))
    verdict = classify(doc, text, dates.published is not None)
    if verdict.embeds:  # an embed-only post: its caption (if any), then what it embeds, one URL a line
        text = "\n".join(([text] if text else []) + list(verdict.embeds))
    return Extracted(
        url=url,
        is_article=verdict.is_article,
        title=title or guesses.title,
        text=text,
        author=extract_author(doc) or clean_author(guesses.author),
        published=dates.published,
        modified=dates.modified,
        date_source=dates.source,
        language=language,
        sitename=sitename,
        noindex=noindex(doc),
        reason=verdict.reason,
        kind="embed" if verdict.embeds else None,
        side_blocks=sides() if verdict.is_article and not verdict.embeds else (),  # not for a listing's page
    )


def _languages(language: str | None) -> list[str] | None:
    """Date languages to try: the page's own first, English always (numeric and English dates)."""
    if not language:
        return None
    return [language] if language == "en" else [language, "en"]
