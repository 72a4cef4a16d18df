"""The URLs an HTML page names: its links, rel=canonical, rel=shortlink and feed links. Pure.

Read in the extraction worker from the tree extraction already built (one parse per page), so the
crawl's event loop never parses HTML. URLs are absolute (resolved against ``<base href>`` when the page
has one), without fragments; which of them to fetch is the spider's policy, not decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from crawler.urls import canonicalize, is_http_url, looks_like_listing, looks_like_non_html, site_of, without_index_file

from .feeds import FEED_TYPES
from .wpapi import API_REL, looks_like_wordpress

_SKIP = ("#", "mailto:", "javascript:", "tel:")


class Link(NamedTuple):
    """An ``<a href>`` of the page, with what the follow policy needs to know of it (computed in the
    worker, so the event loop does no URL parsing per link)."""

    url: str
    key: str  # crawler.urls.canonicalize
    site: str
    listing: bool  # looks like a listing (category, tag, archive, pagination)
    fetchable: bool  # http(s), and not a file type that is never HTML
    query_hop: bool  # same path as the page, with a query string (a calendar trap grows like this)


@dataclass(frozen=True, slots=True)
class PageLinks:
    links: tuple[Link, ...] = ()  # <a href>, in page order
    canonical: str | None = None  # the first rel=canonical, as written (absolute; may name another site)
    shortlink: str | None = None  # the first rel=shortlink (WordPress /?p=ID)
    feeds: tuple[str, ...] = ()  # <link rel=alternate> of a feed type
    api: str | None = None  # <link rel="https://api.w.org/">: the root of a WordPress REST API
    wordpress: bool = False  # no such link, but WordPress made the page (wpapi.looks_like_wordpress): probe its API


def page_links(tree, url: str) -> PageLinks:
    """The URLs named by the page at ``url`` whose parsed tree (lxml.html) is ``tree``."""
    base = _base(tree, url)
    page_path = urlsplit(url).path
    links, seen = [], set()
    for href in tree.xpath("//a[@href]/@href"):
        href = href.strip()
        if not href or href.startswith(_SKIP):
            continue
        absolute = _join(base, href)
        if absolute:
            absolute = absolute.split("#", 1)[0]
            if absolute not in seen:
                seen.add(absolute)
                links.append(_link(absolute, page_path))
    feeds = [
        absolute
        for link in tree.xpath("//link[@rel='alternate'][@href]")
        if (link.get("type") or "").lower() in FEED_TYPES and (absolute := _join(base, link.get("href")))
    ]
    api = _first(tree, API_REL, base)
    return PageLinks(tuple(links), _first(tree, "canonical", base), _first(tree, "shortlink", base), tuple(feeds),
                     api, api is None and looks_like_wordpress(tree, url))


def _link(url: str, page_path: str) -> Link:
    url = without_index_file(url)  # /slug/index.html is /slug/: one page, requested as the directory
    try:
        parts = urlsplit(url)
        query_hop = bool(parts.query) and parts.path == page_path
    except ValueError:
        query_hop = False
    return Link(url, canonicalize(url), site_of(url), looks_like_listing(url),
                is_http_url(url) and not looks_like_non_html(url), query_hop)


def _first(tree, rel: str, base: str) -> str | None:
    for href in tree.xpath(f"//link[@rel='{rel}']/@href")[:1]:
        if href.strip():
            return _join(base, href.strip())
    return None


def _base(tree, url: str) -> str:
    for href in tree.xpath("//base/@href")[:1]:
        joined = _join(url, href.strip())
        if joined:
            return joined
    return url


def _join(base: str, href: str) -> str | None:
    try:
        return urljoin(base, href.strip())
    except ValueError:  # an unparsable href (bad IPv6 literal...): not a link
        return None
