"""The site's name: og:site_name, JSON-LD publisher / WebSite, the header or footer site title."""

from __future__ import annotations

from typing import Any

from .document import Document, jsonld_types, text_of
from .text import squash

_MARKUP_XPATHS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' site-title ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' site-name ')]",
    "//footer//*[contains(@class, 'site-info') or contains(@class, 'site-title')]//a[@rel='home']",
    "//*[self::header or contains(@id, 'header') or contains(@class, 'header') or contains(@class, 'branding')]"
    "//*[self::h1 or self::p or self::div or self::span][contains(@class, 'title') or contains(@class, 'logo')]//a",
)


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
    for xpath in _MARKUP_XPATHS:
        nodes = doc.tree.xpath(xpath)
        text = text_of(nodes[0]) if nodes else ""
        if text and len(text) <= 80:
            return text
    return squash(fallback) or None

