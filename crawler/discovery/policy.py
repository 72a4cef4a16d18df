"""Which discovered URLs the crawl follows, and how: depth and query-depth limits, the crawled sites,
the priority of each kind of URL (roots, sitemaps, feeds, posts, pages, listings).

A root with a path (``https://host/blog/``) is that blog, not its host: only URLs under its path are
followed, robots.txt sitemaps count only when they lie under it, and its feed is ``/blog/feed/``. Comment
feeds (``crawler.urls.feed_role``) are never fetched; a linked main, category or tag feed is read as a feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from crawler.dates import parse_structured_date
from crawler.dates.feeds import feed_dates
from crawler.urls import (
    blog_root, canonicalize, feed_role, is_http_url, looks_like_archive, looks_like_listing, looks_like_non_html, root_of,
    site_of, under_path, without_index_file,
)
from pipelines.storage.frontier import NewUrl

from . import wpapi
from .feeds import parse_feed

PRIORITY = {"root": 40, "sitemap": 30, "feed": 20, "post": 10, "page": 0, "listing": -10}
# An incremental REST list asks for posts modified after the list's last read minus this margin: WordPress
# compares modified_after with the site's local time, which may be up to 14 hours off UTC.
API_MARGIN = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FeedFound:
    """What a feed (or a WordPress REST posts list) gave: URLs to add, pages whose ``lastmod`` may have moved
    (an incremental REST list: re-fetched when newer), dates for pages that state none, and the stat."""

    new: list[NewUrl]
    changed: list[NewUrl]
    dates: list
    source: str  # date_source of the dates: feed, api
    stat: str
    cut: int | None = None  # a REST list longer than wpapi.MAX_PAGES pages: its page count (the rest is the sitemaps')
    api_off: bool = False  # a REST list that answered no posts list (REST off, an error, an HTML page)


class Discovery:
    def __init__(self, roots: list[str], max_depth: int = 12, max_query_depth: int = 2):
        self.roots = [blog_root(u) for u in roots]
        self.sites = {site_of(u) for u in self.roots}
        self.prefixes: dict[str, tuple[str, ...]] = {}  # site -> the paths its blogs live under
        for root in self.roots:
            self.prefixes[site_of(root)] = self.prefixes.get(site_of(root), ()) + (urlsplit(root).path,)
        self.root_keys = {canonicalize(u) for u in self.roots}
        self.max_depth = max_depth
        self.max_query_depth = max_query_depth

    def new(self, url: str, role: str, *, kind: str = "page", parent=None, lastmod=None) -> NewUrl:
        """A frontier entry for ``url`` (``parent``: the response that named it, for the depths)."""
        url = without_index_file(url)  # an index-file twin is requested as its directory
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

    def blog_path(self, url: str) -> str | None:
        """The path of the crawled blog ``url`` belongs to (the longest that holds it), or None."""
        paths = [p for p in self.prefixes.get(site_of(url), ()) if under_path(url, p)]
        return max(paths, key=len) if paths else None

    def accept(self, new: NewUrl) -> bool:
        if new.site not in self.sites or not is_http_url(new.url):
            return False
        blog = self.blog_path(new.url)
        if blog is None or ("feed" in new.url and feed_role(new.url, blog) == "comments"):
            return False
        if new.kind == "page" and looks_like_non_html(new.url):
            return False
        return new.depth <= self.max_depth and new.query_depth <= self.max_query_depth

    def is_listing(self, response) -> bool:
        """True for a page that lists posts: a listing shape, or a crawled blog's root."""
        return looks_like_listing(response.url) or response.meta.get("frontier_key") in self.root_keys

    def accepted(self, urls: list[NewUrl]) -> list[NewUrl]:
        return [u for u in urls if self.accept(u)]

    def seeds(self) -> list[NewUrl]:
        return [self.new(root, "root") for root in self.roots]

    def robots(self, robotparser, url: str) -> list[NewUrl]:
        """Sitemaps named in robots.txt, those under the blog's path for a blog under a path; the blog's
        ``sitemap.xml`` when it names none there."""
        root = root_of(url)
        site = site_of(root)
        if site not in self.sites:
            return []
        named = robotparser.sitemaps(url)  # crawler.robots.RobotsParser
        found = []
        for prefix in self.prefixes[site]:
            inside = [u for u in named if under_path(u, prefix) and site_of(u) == site]
            found.extend(inside or [root.rstrip("/") + prefix + "sitemap.xml"])
        return self.accepted([self.new(u, "sitemap", kind="sitemap") for u in dict.fromkeys(found)])

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
            extra.extend(self.new(u, "feed", kind="feed") for u in links.feeds or [blog_root(response.url) + "feed/"])
            api = getattr(links, "api", None) or (wpapi.probe_root(blog_root(response.url)) if getattr(links, "wordpress", False) else None)
            if api:  # WordPress REST: every post with its dates (crawler/discovery/wpapi.py); unannounced: one probe
                extra.append(self.new(wpapi.posts_url(api), "sitemap", kind="feed"))
        return new + self.accepted(extra), aliases

    def feed(self, response, fetched_at: datetime) -> FeedFound:
        """The posts a feed or a WordPress REST posts list names (a list that is not one gives nothing)."""
        if not wpapi.is_posts_url(response.url):
            links = parse_feed(response.body, response.url)
            new = self.accepted([self.new(u, "post") for u in links])
            return FeedFound(new, [], feed_dates(response.body, response.url, fetched_at), "feed", "discovery/feed_urls")
        answered = wpapi.parse_posts(response.body, response.url)
        posts = answered or []
        listed = self.accepted([self.new(p.url, "post", lastmod=p.modified) for p in posts])
        total = _header(response, b"X-WP-TotalPages")
        pages = [] if not posts else wpapi.more_pages(response.url, total)
        new = listed + self.accepted([self.new(u, "sitemap", kind="api") for u in pages])
        incremental = "modified_after=" in urlsplit(response.url).query
        dates = feed_dates(response.body, response.url, fetched_at) if posts else []
        cut = wpapi.cut_at(response.url, total) if posts else None
        return FeedFound(new, listed if incremental else [], dates, "api", "discovery/api_urls", cut, answered is None)

    def request_url(self, row) -> str:
        """The URL to request for a frontier row: a REST posts list read before asks only what was modified
        since (``modified_after``); any other row, its URL."""
        if row.kind != "feed" or row.status != 200 or row.fetched_at is None or not wpapi.is_posts_url(row.url):
            return row.url
        return wpapi.with_modified_after(row.url, row.fetched_at - API_MARGIN)

    def _links(self, response, links) -> list[NewUrl]:
        """``new`` + ``accept`` for the page's links, on what the worker computed (``page.Link``)."""
        depth = response.meta.get("depth", 0) + 1
        if depth > self.max_depth:
            return []
        query_depth = response.meta.get("query_depth", 0) + 1
        sites, prefixes, found = self.sites, self.prefixes, []
        for link in links:
            if link.site not in sites or not link.fetchable:
                continue
            if link.query_hop and query_depth > self.max_query_depth:
                continue
            if prefixes[link.site] != ("/",) and self.blog_path(link.url) is None:
                continue
            kind = "page"
            if "feed" in link.url and (role := feed_role(link.url, self.blog_path(link.url) or "/")) is not None:
                if role == "comments":
                    continue
                kind = "feed"
            found.append(NewUrl(url_key=link.key, url=link.url, site=link.site, kind=kind, depth=depth,
                                query_depth=query_depth if link.query_hop else 0,
                                priority=PRIORITY["feed" if kind == "feed" else "listing" if link.listing else "page"]))
        return found

    def canonical_elsewhere(self, url: str, canonical: str | None) -> str | None:
        """The rel=canonical URL when it names another page of a crawled site (that page is stored, not this)."""
        if not canonical or site_of(canonical) not in self.sites or canonicalize(canonical) == canonicalize(url):
            return None
        return canonical


ARCHIVE_SKIPPED = "archive listing; the sitemap lists its posts"  # the frontier row's error
ARCHIVES_SKIPPED_STAT = "frontier/archives_skipped"


def sitemap_covers(kind: str, url: str, site: str, sitemap_sites) -> bool:
    """True for a taxonomy or date archive (``looks_like_archive``) of a site whose sitemaps answered in
    this run: it would only list again posts the sitemap names, so it is not fetched. ``sitemap_sites``:
    any container of sites (the run's set, kept in site_state; a fleet's view of Redis, crawler/fleet/sites.py)."""
    return kind == "page" and looks_like_archive(url) and site in sitemap_sites


def lastmod_newer(new: str, old: str) -> bool:
    """True when sitemap lastmod ``new`` is later than ``old`` (unparseable values: when they differ)."""
    a, b = parse_structured_date(new), parse_structured_date(old)
    if a is None or b is None:
        return new != old
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a > b


def _header(response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
