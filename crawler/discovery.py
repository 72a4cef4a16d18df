"""Where post URLs come from: sitemaps (and sitemap indexes), RSS/Atom feeds and HTML links. Pure parsing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

LOGGER = logging.getLogger(__name__)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    url: str
    lastmod: str | None
    is_sitemap: bool  # True: a child sitemap of an index


def parse_sitemap(body: bytes, base_url: str, max_size: int = 64 * 1024 * 1024) -> list[SitemapEntry]:
    """The entries of a sitemap or sitemap index (gzip accepted). Malformed XML gives what could be read."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=max_size)
    if not body.strip():
        return []
    try:
        sitemap = Sitemap(body)
    except (lxml.etree.XMLSyntaxError, StopIteration):
        return []
    is_index = sitemap.type == "sitemapindex"
    entries = []
    try:
        for entry in sitemap:
            loc = entry.get("loc")
            if loc:
                entries.append(SitemapEntry(urljoin(base_url, loc), entry.get("lastmod") or None, is_index))
    except lxml.etree.XMLSyntaxError as exc:
        LOGGER.warning("sitemap %s is malformed after %d entries: %s", base_url, len(entries), exc)
    return entries


def parse_feed(body: bytes, base_url: str) -> list[str]:
    """The item links of an RSS 2.0, RSS 1.0 or Atom feed."""
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False))
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links: list[str] = []
    for item in root.iter("{*}item", "{*}entry"):
        links.extend(_item_links(item))
    return [urljoin(base_url, link.strip()) for link in links if link and link.strip()]


def _item_links(item) -> Iterator[str]:
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = lxml.etree.QName(child).localname
        if name == "link":
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                yield href
            elif child.text:
                yield child.text
            return
    guid = item.find("{*}guid")
    if guid is not None and guid.text and guid.get("isPermaLink", "true") == "true":
        yield guid.text


def robots_sitemaps(robots_body: bytes, base_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt."""
    urls = []
    for raw in robots_body.decode("utf-8", "replace").splitlines():
        key, _, value = raw.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls.append(urljoin(base_url, value.strip()))
    return urls
