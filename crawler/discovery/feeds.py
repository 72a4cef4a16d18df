"""Sitemaps (and sitemap indexes), RSS/Atom/JSON feeds and robots.txt Sitemap lines. Pure parsing."""

from __future__ import annotations

import json
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
    """The item links of an RSS 2.0, RSS 1.0, Atom or JSON Feed feed."""
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return parse_json_feed(body, base_url)
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


def parse_json_feed(body: bytes, base_url: str) -> list[str]:
    """The item links of a JSON Feed (https://jsonfeed.org/version/1.1): each item's ``url``, else its
    ``id`` when that is a URL (``external_url`` points off the site and is not the item's page)."""
    try:
        feed = json.loads(body.decode("utf-8-sig", "replace"))
    except ValueError:
        return []
    items = feed.get("items") if isinstance(feed, dict) else None
    links = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if not isinstance(url, str) and isinstance(item.get("id"), str) and item["id"].startswith(("http://", "https://")):
            url = item["id"]
        if isinstance(url, str) and url.strip():
            links.append(urljoin(base_url, url.strip()))
    return links


def _item_links(item) -> Iterator[str]:
    links = [c for c in item if isinstance(c.tag, str) and lxml.etree.QName(c).localname == "link"]
    for link in links:  # Atom: the alternate link, wherever it stands (Blogger writes it last)
        if link.get("href") and link.get("rel", "alternate") == "alternate":
            yield link.get("href")
            return
    for link in links:  # RSS: the link's text
        if not link.get("href") and link.text and link.text.strip():
            yield link.text
            return
    guid = item.find("{*}guid")
    if guid is not None and guid.text and guid.get("isPermaLink", "true") == "true":
        yield guid.text


def robots_sitemaps(robots_body: bytes, base_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt."""
    urls = []
    for raw in robots_body.decode("utf-8-sig", "replace").splitlines():
        key, _, value = raw.partition("#")[0].partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            urls.append(urljoin(base_url, value.strip()))
    return urls
