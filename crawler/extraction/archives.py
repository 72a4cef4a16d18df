"""Archive URLs: the paths and queries of a site's listings (home, pagination, tag / category / author /
date archives, search, feeds). ``classify`` refuses such a page unless it says it is one post;
``teasers`` does not take a link to one for a link to a post."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

LISTING_PATH = re.compile(
    r"(?:^|/)(?:tag|tags|category|categories|author|label|topics?|search|archives?)(?:/|$)|"
    r"/page/\d+/?$|^/?(?:\d{4}/?|\d{4}/\d{1,2}/?|\d{4}/\d{1,2}/\d{1,2}/?)$|(?:^|/)(?:feed|rss|atom)(?:/|\.xml)?$"
)
LISTING_QUERY = ("s", "q", "search", "paged", "tag", "cat", "author")
_ROOT_INDEX = re.compile(r"^/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)  # the root's directory index


def archive_url(url: str) -> bool:
    """The URL of a listing: the site root (or its /index.html; not /?p=123, a WordPress post under plain
    permalinks), an archive path, a search or pagination query."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if parts.path in ("", "/"):
        return "p" not in query
    if LISTING_PATH.search(parts.path):
        return True
    if _ROOT_INDEX.match(parts.path) and not parts.query:  # /index.html is the home page (?id=30 may be a post)
        return True
    return any(key in query for key in LISTING_QUERY)
