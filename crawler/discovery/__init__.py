"""Where URLs come from. Pure parsers: sitemaps, feeds and robots.txt (``feeds``), and the links,
rel=canonical, shortlink and feed links of an HTML page, read from the tree extraction built (``page``)."""

from .feeds import FEED_TYPES, SitemapEntry, parse_feed, parse_sitemap, robots_sitemaps
from .page import Link, PageLinks, page_links

__all__ = ["FEED_TYPES", "Link", "PageLinks", "SitemapEntry", "page_links", "parse_feed", "parse_sitemap", "robots_sitemaps"]
