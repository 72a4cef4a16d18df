"""The author: JSON-LD, meta, byline markup; "by" / "بواسطة" / "par" / "كتب" prefixes removed."""

from __future__ import annotations

import re
from typing import Any, Iterator

from .document import Document, text_of
from .text import squash

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published)\s+by|by|par|von|بواسطة|بقلم|كتبه|كتبته|كتبت|كتب|الكاتب|الكاتبة|"
    r"المؤلف|author|auteur|autor)\s*[:：\-–—]?\s+",
    re.I,
)
_BYLINE_XPATHS = (
    "//article//*[@rel='author'] | //*[@itemprop='author']//*[@itemprop='name']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]//*[contains(@class, 'author') or @rel='author']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ') and contains(@class, 'vcard')]",
    "//*[@rel='author']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]",
)


def clean_author(value: str | None) -> str | None:
    """Strip byline prefixes and trailing separators; None for empty, URLs and long strings."""
    text = squash(value)
    for _ in range(2):
        text = _PREFIX.sub("", text).strip(" :|·,-–—")
    if not text or text.startswith(("http://", "https://", "/")) or len(text) > 80 or "@" in text:
        return None
    return text


def _jsonld_author(doc: Document) -> str | None:
    for obj in doc.jsonld_articles():
        name = _name(obj.get("author"))
        if name:
            return name
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) and value.strip() else None


def extract_author(doc: Document, fallback: str | None = None) -> str | None:
    """First usable author among JSON-LD, meta, byline markup and trafilatura's guess."""
    for candidate in _candidates(doc, fallback):
        name = clean_author(candidate)
        if name:
            return name
    return None


def _candidates(doc: Document, fallback: str | None) -> Iterator[str | None]:
    """Author candidates, best first, each computed only when the ones before it were unusable."""
    yield _jsonld_author(doc)
    yield doc.meta_first("author", "article:author", "dc.creator", "parsely-author")
    for xpath in _BYLINE_XPATHS:
        nodes = doc.tree.xpath(xpath)
        if nodes:
            yield text_of(nodes[0])
    yield fallback
