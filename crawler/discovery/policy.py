"""Which discovered URLs the crawl follows, and how: depth and query-depth limits, the crawled sites,
the priority of each kind of URL (roots, sitemaps, feeds, posts, pages, listings)."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.dates import parse_structured_date
from crawler.urls import canonicalize, is_http_url, looks_like_non_html, root_of, site_of
from pipelines.storage.frontier import NewUrl

PRIORITY = {"root": 40, "sitemap": 30, "feed": 20, "post": 10, "page": 0, "listing": -10}


class Discovery:
    def __init__(self, roots: list[str], max_depth: int = 12, max_query_depth: int = 2):
        self.roots = roots
        self.sites = {site_of(u) for u in roots}
        self.root_keys = {canonicalize(u) for u in roots}
        self.max_depth = max_depth
        self.max_query_depth = max_query_depth

    def new(self, url: str, role: str, *, kind: str = "page", parent=None, lastmod=None) -> NewUrl:
        """A frontier entry for ``url`` (``parent``: the response that named it, for the depths)."""
        depth = query_depth = 0
        if parent is not None:
            depth = parent.meta.get("depth", 0) + 1
            parent_parts, parts = urlsplit(parent.url), urlsplit(url)
            if parts.query and parts.path == parent_parts.path:
                query_depth = parent.meta.get("query_depth", 0) + 1
        return NewUrl(
            url_key=canonicalize(url), url=url, site=site_of(url), kind=kind, depth=depth,
            query_depth=query_depth, priority=PRIORITY[role], lastmod=lastmod,
        )

    def accept(self, new: NewUrl) -> bool:
        if new.site not in self.sites or not is_http_url(new.url):
            return False
        if new.kind == "page" and looks_like_non_html(new.url):
            return False
        return new.depth <= self.max_depth and new.query_depth <= self.max_query_depth

    def accepted(self, urls: list[NewUrl]) -> list[NewUrl]:
        return [u for u in urls if self.accept(u)]

    def seeds(self) -> list[NewUrl]:
        return [self.new(root, "root") for root in self.roots]

    def robots(self, robotparser, url: str) -> list[NewUrl]:
        """Sitemaps named in robots.txt; ``/sitemap.xml`` when it names none."""
        root = root_of(url)
        if site_of(root) not in self.sites:
            return []
        sitemaps = robotparser.sitemaps(url) or [root + "sitemap.xml"]  # crawler.robots.RobotsParser
        return self.accepted([self.new(u, "sitemap", kind="sitemap") for u in sitemaps])

    def sitemap(self, entries) -> list[NewUrl]:
        return self.accepted([
            self.new(e.url, "sitemap" if e.is_sitemap else "post", kind="sitemap" if e.is_sitemap else "page", lastmod=e.lastmod)
            for e in entries
        ])

    def page(self, response, links) -> tuple[list[NewUrl], list[NewUrl]]:
        """What a page names (``links``: ``crawler.discovery.PageLinks``): URLs to follow, and aliases of
        the page itself (its rel=shortlink, WordPress's /?p=ID: a redirect back here, never worth a request)."""
        new, extra = self._links(response, links.links), []
        if links.canonical:
            extra.append(self.new(links.canonical, "post", parent=response))
        aliases = []
        if links.shortlink:
            shortlink = self.new(links.shortlink, "page", parent=response)
            if shortlink.site in self.sites and shortlink.url_key != response.meta.get("frontier_key"):
                aliases.append(shortlink)
        if response.meta.get("frontier_key") in self.root_keys:
            extra.extend(self.new(u, "feed", kind="feed") for u in links.feeds or [root_of(response.url) + "feed/"])
        return new + self.accepted(extra), aliases

    def _links(self, response, links) -> list[NewUrl]:
        """``new`` + ``accept`` for the page's links, on what the worker computed (``page.Link``)."""
        depth = response.meta.get("depth", 0) + 1
        if depth > self.max_depth:
            return []
        query_depth = response.meta.get("query_depth", 0) + 1
        sites, found = self.sites, []
        for link in links:
            if link.site not in sites or not link.fetchable:
                continue
            if link.query_hop and query_depth > self.max_query_depth:
                continue
            found.append(NewUrl(url_key=link.key, url=link.url, site=link.site, kind="page", depth=depth,
                                query_depth=query_depth if link.query_hop else 0,
                                priority=PRIORITY["listing" if link.listing else "page"]))
        return found

    def canonical_elsewhere(self, url: str, canonical: str | None) -> str | None:
        """The rel=canonical URL when it names another page of a crawled site (that page is stored, not this)."""
        if not canonical or site_of(canonical) not in self.sites or canonicalize(canonical) == canonicalize(url):
            return None
        return canonical


def lastmod_newer(new: str, old: str) -> bool:
    """True when sitemap lastmod ``new`` is later than ``old`` (unparseable values: when they differ)."""
    a, b = parse_structured_date(new), parse_structured_date(old)
    if a is None or b is None:
        return new != old
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a > b
