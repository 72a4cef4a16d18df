"""The site's name: og:site_name, JSON-LD publisher / WebSite, the header or footer site title."""

from __future__ import annotations

from typing import Any, Iterator

from lxml import etree, html

from .document import Document, class_tokens, jsonld_types, text_of
from .text import squash

# The footer's site-info link home, then a link in a title or logo block of the header. (The second is
# written Y[ancestor::X]//a rather than X//Y//a: the same elements without merging a node set per X.)
_LINK_XPATHS = (
    etree.XPath("//footer//*[contains(@class, 'site-info') or contains(@class, 'site-title')]//a[@rel='home']"),
    etree.XPath("(//h1|//p|//div|//span)[contains(@class, 'title') or contains(@class, 'logo')][ancestor::*[self::header "
                "or contains(@id, 'header') or contains(@class, 'header') or contains(@class, 'branding')]]//a"),
)


def _markup_candidates(doc: Document) -> Iterator[html.HtmlElement]:
    """The first element of each kind, best first: class site-title, class site-name, then ``_LINK_XPATHS``."""
    classed = [node for node in doc.tree.iter() if "site-" in (node.get("class") or "")]  # one walk for both classes
    for name in ("site-title", "site-name"):
        node = next((n for n in classed if name in class_tokens(n)), None)
        if node is not None:
            yield node
    for xpath in _LINK_XPATHS:
        nodes = xpath(doc.tree)
        if nodes:
            yield nodes[0]


def _jsonld_name(doc: Document) -> str | None:
    for obj in doc.jsonld_articles():
        name = _name(obj.get("publisher"))
        if name:
            return name
    for obj in doc.jsonld:
        if jsonld_types(obj) & {"website", "organization", "newsmediaorganization"}:
            name = _name(obj)
            if name:
                return name
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name")
    return squash(value) if isinstance(value, str) and squash(value) else None


def extract_sitename(doc: Document, fallback: str | None = None) -> str | None:
    """First non-empty candidate, metadata before markup."""
    found = squash(doc.meta_first("og:site_name", "application-name", "apple-mobile-web-app-title")) or _jsonld_name(doc)
    if found:
        return found
    for node in _markup_candidates(doc):
        text = text_of(node)
        if text and len(text) <= 80:
            return text
    return squash(fallback) or None

