"""URL normalisation and classification: pure functions, no I/O.

``canonicalize`` gives the key under which a page is stored once: every URL that leads to the same
post (tracking parameters, comment-reply links, AMP and print views, slash-less twins) maps to it.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that never change what a page shows: marketing tags, comment replies, view modes.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "igshid",
        "replytocom", "amp", "print", "share", "ref", "ref_src", "m", "output", "noamp",
        "sessionid", "sid", "phpsessid", "jsessionid", "orderby", "order", "sort",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIX = re.compile(r"/amp/?$")
_INDEX_FILE = re.compile(r"/index\.(?:html?|php)$")
_FILE_LIKE = re.compile(r"\.[A-Za-z0-9]{1,5}$")

# The language prefix of a multilingual site (WPML, Polylang: /ar/..., /en/..., /pt-br/...): ISO 639-1
# codes of widely written languages, so that a two-letter section (/tv/, /ai/) is not taken for one.
_LANG = (
    r"(?:/(?:ar|en|fr|de|es|it|pt|nl|tr|fa|ur|ru|zh|ja|ko|id|ms|he|hi|bn|sw|pl|uk|sv|da|no|fi|el|ro|hu|cs|ku|am|so|ha)"
    r"(?:[-_][a-zA-Z]{2,4})?)?"
)
# A blog installed under one path segment (/blog/, /news/): its taxonomy and date archives keep their shapes.
_IN_BLOG = r"(?:/[^/]+(?=/(?:category|tag|author|topics?|label|search|archives?|\d{4})(?:/|$)))?"
# Pages a blog shows that are never single posts (WordPress and Blogger URL schemes); /archives/123 is
# WordPress's numeric permalink of a post, not an archive.
_LISTING_PATTERNS = [
    re.compile(p)
    for p in (
        rf"^{_LANG}/$",
        r"/(?:page)/\d+/?$",
        rf"^{_IN_BLOG}{_LANG}/(?:category|tag|author|topics?|label|search|archives?)(?:/(?!\d+/?$)|$)",
        rf"^{_IN_BLOG}{_LANG}/\d{{4}}/?$",
        rf"^{_IN_BLOG}{_LANG}/\d{{4}}/\d{{1,2}}/?$",
        rf"^{_IN_BLOG}{_LANG}/\d{{4}}/\d{{1,2}}/\d{{1,2}}/?$",
        r"/(?:feed|rss|atom)(?:/|\.xml)?$",
        r"/comments/feed/?$",
    )
]
# WordPress's plain permalinks: /?p=ID is a post, /?page_id=ID a page, whatever the path looks like.
_SINGLE_QUERY_KEYS = ("p", "page_id")
_NON_HTML_EXTENSIONS = frozenset(
    (
        "pdf zip gz tgz rar 7z tar bz2 xz exe dmg apk iso bin jpg jpeg png gif webp svg ico bmp tif tiff "
        "mp3 mp4 m4a m4v avi mov wmv flv webm ogg wav css js json woff woff2 ttf eot otf doc docx xls xlsx "
        "ppt pptx odt csv"
    ).split()
)


def strip_tracking(query: str) -> list[tuple[str, str]]:
    """The query pairs that change content, sorted; tracking and view-mode parameters dropped."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [
        (k, v)
        for k, v in pairs
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return sorted(kept)


def canonicalize(url: str) -> str:
    """The storage key of a URL: lower-case scheme and host, no default port, no fragment, no tracking
    parameters, sorted query, upper-case percent escapes, ``/amp/`` views folded into the post, a trailing
    ``index.html`` / ``index.php`` dropped, and a trailing slash on directory-like paths (so ``/a/b``,
    ``/a/b/`` and ``/a/b/index.html`` are one page)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path or "/"
    path = _INDEX_FILE.sub("/", _AMP_SUFFIX.sub("/", path))
    if not path.endswith("/") and not _FILE_LIKE.search(path):
        path += "/"
    query = urlencode(strip_tracking(parts.query))
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))


def without_index_file(url: str) -> str:
    """``url`` with a trailing ``index.html`` / ``index.htm`` / ``index.php`` dropped from its path (the URL
    to request for an index-file twin: the directory, which every server of such a site answers)."""
    parts = urlsplit(url)
    if not _INDEX_FILE.search(parts.path):
        return url
    return urlunsplit((parts.scheme, parts.netloc, _INDEX_FILE.sub("/", parts.path), parts.query, parts.fragment))


def site_of(url: str) -> str:
    """The site a URL belongs to: ``host`` or ``host:port`` (non-default port), lower case."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


_ARCHIVE_PATTERN = re.compile(
    rf"^{_IN_BLOG}{_LANG}/(?:category|tag|author|topics?|label|archives?)(?:/(?!\d+/?$)|$)"
    rf"|^{_IN_BLOG}{_LANG}/\d{{4}}/(?:\d{{1,2}}/(?:\d{{1,2}}/)?)?(?:page/\d+/?)?$"
)


def looks_like_archive(url: str) -> bool:
    """True for taxonomy and date archives (category, tag, author, /YYYY/MM/ and their pages): listings
    that only list again posts a complete sitemap names. Home-page pagination is not one of them."""
    parts = urlsplit(url)
    return not parts.query and bool(_ARCHIVE_PATTERN.search(parts.path or "/"))


def looks_like_listing(url: str) -> bool:
    """True for URLs whose shape says home, pagination, archive, taxonomy, search or feed."""
    parts = urlsplit(url)
    keys = [k for k, _ in parse_qsl(parts.query)] if parts.query else []
    if any(k in _SINGLE_QUERY_KEYS for k in keys):
        return False
    if any(k in ("s", "q", "paged", "cat", "tag") for k in keys):
        return True
    return any(p.search(parts.path or "/") for p in _LISTING_PATTERNS)


_PAGE_NUMBER = re.compile(r"/page/(\d+)/?$")


def listing_page(url: str) -> int:
    """The page number of a listing URL (``/page/3/``, ``?paged=3``, Blogger's and others' ``?page=3``);
    1 for its first page (the listing itself)."""
    parts = urlsplit(url)
    match = _PAGE_NUMBER.search(parts.path or "/")
    if match:
        return int(match.group(1))
    query = dict(parse_qsl(parts.query)) if parts.query else {}
    value = query.get("paged") or query.get("page") or ""
    return int(value) if value.isdigit() else 1


def looks_like_non_html(url: str) -> bool:
    """True when the path ends in an extension of a binary or non-page resource."""
    path = urlsplit(url).path.lower()
    match = _FILE_LIKE.search(path)
    return bool(match) and match.group(0)[1:] in _NON_HTML_EXTENSIONS


def is_http_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and reserved addresses (and ``localhost``)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_unspecified


# Feeds that list comments, never posts: Blogger's site and per-post comment feeds, WordPress's site comment
# feed and its ?feed=comments-* form. A post's own feed (/slug/feed/) is told apart by ``feed_role``.
_COMMENT_FEED = re.compile(r"/feeds/(?:\d+/)?comments/(?:default|full|summary)(?:/|$)|/comments/feed(?:/(?:rss2?|atom|rdf)?)?/?$")
_FEED_SUFFIX = re.compile(r"^(?P<base>.*/)feed(?:/(?:rss2?|atom|rdf))?/?$")
_TAXONOMY = re.compile(rf"^{_LANG}/(?:category|tag|author|topics?|label|series)/")
_LANG_ONLY = re.compile(rf"{_LANG}/")
_BLOGGER_POSTS_FEED = re.compile(r"/feeds/posts/(?:default|full|summary)(?:/-/[^/]+)?/?$")


def feed_role(url: str, blog_path: str = "/") -> str | None:
    """What a feed URL lists: ``"main"`` (the blog's feed: ``feed/`` at the blog's root path, Blogger's
    ``/feeds/posts/default``), ``"taxonomy"`` (a category, tag or author feed, or a Blogger label feed:
    posts too), ``"comments"`` (a comment feed: Blogger's ``/feeds/ID/comments/default`` and
    ``/feeds/comments/default``, WordPress's ``/comments/feed/``, ``?feed=comments-rss2`` and a post's own
    ``/slug/feed/``), or None (not a feed URL). ``blog_path``: the path the blog lives under (``/blog/``)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    feed_param = dict(parse_qsl(parts.query)).get("feed", "")
    if feed_param:
        return "comments" if feed_param.startswith("comments") else "main"
    if _COMMENT_FEED.search(path):
        return "comments"
    if _BLOGGER_POSTS_FEED.search(path):
        return "taxonomy" if "/-/" in path else "main"
    match = _FEED_SUFFIX.match(path)
    if match is None:
        return None
    base = match.group("base")
    blog = blog_path if blog_path.endswith("/") else blog_path + "/"
    inner = base[len(blog) - 1:] if base.startswith(blog) else base  # the path inside the blog, from its "/"
    if base.startswith(blog) and _LANG_ONLY.fullmatch(inner):  # /feed/, /blog/feed/, /ar/feed/
        return "main"
    return "taxonomy" if _TAXONOMY.search(inner) or _ARCHIVE_PATTERN.search(inner) else "comments"


def is_comment_feed(url: str, blog_path: str = "/") -> bool:
    """True for a feed that lists comments (never a source of posts; see ``feed_role``)."""
    return feed_role(url, blog_path) == "comments"


def under_path(url: str, prefix: str) -> bool:
    """True when ``url``'s path lies under the blog path ``prefix`` (``/blog/``: ``/blog`` and ``/blog/x``)."""
    if prefix in ("", "/"):
        return True
    path = urlsplit(url).path or "/"
    return path.startswith(prefix) or path + "/" == prefix


def blog_root(url: str) -> str:
    """The root URL of the blog ``url`` names: scheme, host and the path as a directory, without query or
    fragment (``https://host/blog`` and ``https://host/blog/index.html`` → ``https://host/blog/``)."""
    parts = urlsplit(url)
    path = _INDEX_FILE.sub("/", parts.path or "/")
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def root_of(url: str) -> str:
    """The root URL of the site a URL belongs to (``scheme://netloc/``)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "/", "", ""))


def path_without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
