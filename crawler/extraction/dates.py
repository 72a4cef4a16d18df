"""Publication and modification dates, most reliable source first.

Order: JSON-LD (``jsonld``), meta tags (``meta``), ``time[datetime]`` in the article header
(``time``), the visible date next to the headline or byline (``text``), a /YYYY/MM/DD/ URL (``url``).
Dates in top bars, sidebars and comments are never looked at; no date is after the fetch time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lxml import html

from crawler.dates import parse_date, parse_structured_date

from .document import Document, class_id, text_of

LOGGER = logging.getLogger(__name__)

_PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "dc.date.issued", "dcterms.issued",
    "dc.date", "sailthru.date", "parsely-pub-date", "date", "article.published", "citation_publication_date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "article.updated")
_DATE_CLASS = re.compile(r"date|time|posted|published|byline|entry-meta|post-meta|meta|تاريخ")
_EXCLUDED = re.compile(r"comment|sidebar|widget|related|footer|topbar|top-bar|site-header|masthead|nav|menu")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
_MAX_VISIBLE = 120
_AFTER, _BEFORE = 60, 25  # elements scanned after / before the headline


@dataclass(slots=True)
class Dates:
    published: datetime | None = None
    modified: datetime | None = None
    source: str | None = None


def not_future(value: datetime | None, fetched_at: datetime) -> datetime | None:
    """``value`` unless it is after the fetch time (naive values compared loosely, in local time)."""
    if value is None:
        return None
    if value.tzinfo is None:
        limit = fetched_at.astimezone(timezone.utc).replace(tzinfo=None) + timedelta(hours=14)
        return value if value <= limit else None
    return value if value <= fetched_at else None


def _structured(value: object, fetched_at: datetime) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return not_future(parse_structured_date(value.strip()), fetched_at)


def _from_jsonld(doc: Document, fetched_at: datetime) -> Dates:
    for obj in doc.jsonld_articles():
        published = _structured(obj.get("datePublished") or obj.get("dateCreated"), fetched_at)
        if published:
            return Dates(published, _structured(obj.get("dateModified"), fetched_at), "jsonld")
    return Dates()


def _microdata(doc: Document, prop: str) -> str | None:
    """An itemprop date outside <meta> (microdata on abbr, span, time): content, datetime or title."""
    for node in doc.tree.xpath(f"//*[@itemprop='{prop}'][not(self::meta)]"):
        value = node.get("content") or node.get("datetime") or node.get("title")
        if value:
            return value
    return None


def _from_meta(doc: Document, fetched_at: datetime) -> Dates:
    published = _structured(doc.meta_first(*_PUBLISHED_META) or _microdata(doc, "datePublished"), fetched_at)
    modified = _structured(doc.meta_first(*_MODIFIED_META) or _microdata(doc, "dateModified"), fetched_at)
    return Dates(published, modified, "meta" if published else None)


def _excluded(node: html.HtmlElement) -> bool:
    return any(_EXCLUDED.search(class_id(a)) or a.tag in ("aside", "nav", "footer") for a in node.iterancestors())


def article_scope(doc: Document) -> html.HtmlElement | None:
    """The element that holds the headline and its byline (article, else the h1's grandparent)."""
    h1s = doc.tree.xpath("//article//h1 | //h1")
    if not h1s:
        articles = doc.tree.xpath("//article")
        return articles[0] if len(articles) == 1 else None
    h1 = h1s[0]
    for ancestor in h1.iterancestors():
        if ancestor.tag == "article":
            return ancestor
    parent = h1.getparent()
    grand = parent.getparent() if parent is not None else None
    return grand if grand is not None and grand.tag != "html" else parent


def headline_window(doc: Document) -> list[html.HtmlElement]:
    """Elements around the headline in document order (after it first, then before it), then the
    rest of the article scope. Document order survives malformed markup that breaks nesting."""
    body = doc.tree.find(".//body")
    h1s = doc.tree.xpath("//article//h1 | //h1")
    scope = article_scope(doc)
    window: list[html.HtmlElement] = []
    if body is not None and h1s:
        elements = [e for e in body.iter() if isinstance(e.tag, str)]
        index = elements.index(h1s[0]) if h1s[0] in elements else 0
        ancestors = set(h1s[0].iterancestors())
        window = elements[index + 1:index + _AFTER] + [
            e for e in reversed(elements[max(0, index - _BEFORE):index]) if e not in ancestors
        ]
    if scope is not None:
        seen = set(window)
        window += [e for e in scope.iter() if isinstance(e.tag, str) and e not in seen]
    return [e for e in window if not _excluded(e)]


def _from_time(window: list[html.HtmlElement], fetched_at: datetime) -> Dates:
    published = modified = None
    for node in window:
        if node.tag != "time":
            continue
        value = _structured(node.get("datetime"), fetched_at)
        if value is None:
            continue
        if "updated" in class_id(node) or "modified" in class_id(node):
            modified = modified or value
        elif published is None:
            published = value
    return Dates(published, modified, "time" if published else None)


def _visible_candidates(window: list[html.HtmlElement]) -> list[str]:
    texts: list[str] = []
    for node in window:
        if node.tag == "time" or _DATE_CLASS.search(class_id(node)):
            text = text_of(node)
            if text and len(text) <= _MAX_VISIBLE and text not in texts:
                texts.append(text)
    return texts


def _from_text(window: list[html.HtmlElement], fetched_at: datetime, languages: list[str] | None) -> Dates:
    for text in _visible_candidates(window):
        value = not_future(parse_date(text, fetched_at, languages=languages), fetched_at)
        if value:
            return Dates(value, None, "text")
    return Dates()


def _from_url(url: str) -> Dates:
    match = _URL_DATE.search(url)
    if not match:
        return Dates()
    try:
        return Dates(datetime(int(match[1]), int(match[2]), int(match[3])), None, "url")
    except ValueError:
        return Dates()


def extract_dates(doc: Document, fetched_at: datetime, languages: list[str] | None = None) -> Dates:
    """The first source that yields a publication date; modified from any structured source."""
    jsonld, meta = _from_jsonld(doc, fetched_at), _from_meta(doc, fetched_at)
    modified = jsonld.modified or meta.modified
    for found in (jsonld, meta):
        if found.published:
            return Dates(found.published, modified, found.source)
    window = headline_window(doc)
    timed = _from_time(window, fetched_at)
    if timed.published:
        return Dates(timed.published, modified or timed.modified, "time")
    visible = _from_text(window, fetched_at, languages)
    if visible.published:
        return Dates(visible.published, modified, "text")
    found = _from_url(doc.url)
    return Dates(found.published, modified, found.source)
