"""Publication dates that discovery sees before the page: feed items and WordPress REST posts.

``feed_dates(body, base_url, fetched_at)`` reads RSS 2.0 (``pubDate``, else ``dc:date``), RSS 1.0
(``dc:date``), Atom (``published``, else ``updated``), JSON Feed (``date_published``, else
``date_modified``) and a WordPress REST post list (``/wp-json/wp/v2/posts``: ``date`` with
``date_gmt`` for the offset) and returns ``(item URL, datetime)`` pairs. Pure: no network, no clock.
A sitemap ``lastmod`` is a modification time and is never read as a publication date.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from urllib.parse import urljoin

import lxml.etree

from .parse import parse_structured_date
from .plausible import plausible

LOGGER = logging.getLogger(__name__)

__all__ = ["feed_dates"]

_XML_DATES = ("pubDate", "published", "issued", "date", "created", "updated", "modified")  # best first


def feed_dates(body: bytes, base_url: str, fetched_at: datetime) -> list[tuple[str, datetime]]:
    """(URL, publication date) of every feed item that states both, in feed order."""
    head = body.lstrip()[:1]
    pairs = _json_dates(body, base_url) if head in (b"{", b"[") else _xml_dates(body, base_url)
    return [(url, value) for url, value in ((u, plausible(v, fetched_at)) for u, v in pairs) if value is not None]


def _xml_dates(body: bytes, base_url: str) -> list[tuple[str, datetime]]:
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False,
                                                                      no_network=True))
    except lxml.etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    pairs = []
    for item in root.iter("{*}item", "{*}entry"):
        link, found = _item_link(item), {}
        for child in item:
            if isinstance(child.tag, str):
                name = lxml.etree.QName(child).localname
                if name in _XML_DATES and child.text and name not in found:
                    found[name] = child.text.strip()
        value = next((parse_structured_date(found[n]) for n in _XML_DATES if n in found
                      and parse_structured_date(found[n])), None)
        if link and value:
            pairs.append((urljoin(base_url, link.strip()), value))
    return pairs


def _item_link(item) -> str | None:
    for child in item:
        if isinstance(child.tag, str) and lxml.etree.QName(child).localname == "link":
            href = child.get("href")
            if href and child.get("rel", "alternate") == "alternate":
                return href
            if child.text and child.text.strip():
                return child.text
    guid = item.find("{*}guid")
    if guid is not None and guid.text and guid.get("isPermaLink", "true") == "true":
        return guid.text
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
    return about or None


def _json_dates(body: bytes, base_url: str) -> list[tuple[str, datetime]]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return []
    items = data.get("items") if isinstance(data, dict) else data  # JSON Feed | WordPress REST list
    pairs = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("link") or item.get("external_url")
        value = _json_item_date(item)
        if isinstance(url, str) and value:
            pairs.append((urljoin(base_url, url), value))
    return pairs


def _json_item_date(item: dict) -> datetime | None:
    for key in ("date_published", "date_modified"):  # JSON Feed: RFC 3339 with an offset
        value = parse_structured_date(item.get(key)) if isinstance(item.get(key), str) else None
        if value:
            return value
    local = parse_structured_date(item["date"]) if isinstance(item.get("date"), str) else None
    gmt = parse_structured_date(item["date_gmt"]) if isinstance(item.get("date_gmt"), str) else None
    if local and gmt and local.tzinfo is None and gmt.tzinfo is None:  # WordPress REST: wall time + UTC twin
        offset = local - gmt
        return local.replace(tzinfo=timezone(offset)) if abs(offset.total_seconds()) <= 14 * 3600 else local
    return local or (gmt.replace(tzinfo=timezone.utc) if gmt else None)
