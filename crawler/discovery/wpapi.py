"""WordPress REST discovery: a site that announces ``<link rel="https://api.w.org/">`` is listed through
``/wp-json/wp/v2/posts?per_page=100&_fields=id,link,date,date_gmt,modified,modified_gmt``, paged by its
``X-WP-TotalPages`` header (``page=N``), up to ``MAX_PAGES``: a longer list is cut there (``cut_at``: the run
counts it, ``discovery/api_cut/<site>``, and its summary line and ``blogcrawl runs`` name the site) and the
rest of the site comes from its sitemaps and feeds, read as on any site. Pure: URLs and bodies in, URLs
and posts out.

A site that does not announce its API but whose home page shows WordPress (``looks_like_wordpress``:
a ``generator`` meta naming WordPress, or stylesheets and scripts of its own under ``/wp-content/`` or
``/wp-includes/``) gets one probe of the same list under ``<blog root>wp-json/`` per run; a site that shows
neither is never asked.

An incremental run asks only ``modified_after=<when the list was last read>``. Anything but a JSON list
of posts (REST disabled, 400/401/403/404/410 — answers the spider takes without an error,
``QUIET_STATUSES`` —, an HTML page, bad JSON) gives ``None``: the crawl goes on with sitemaps, feeds and
links, with no error. Such an answer is remembered (site_state ``wp_rest``: ``{"failed_at": ISO, "hold_days":
N}``, the run's clock): the list is not asked again before its hold has passed (``held``). A first refusal holds it
``FIRST_HOLD`` (1 day: a one-off 403 or an outage must not disable REST for a month); each further refusal in a
row doubles the hold, up to ``ASK_AGAIN`` (30 days); a posts list clears it (crawler/frontier/reststate.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

API_REL = "https://api.w.org/"
FIELDS = "id,link,date,date_gmt,modified,modified_gmt"
PER_PAGE = 100
MAX_PAGES = 100  # 10,000 posts; a longer list is left to sitemaps and feeds
_POSTS_ROUTE = "/wp/v2/posts"
QUIET_STATUSES = (400, 401, 403, 404, 410)  # REST off, private, missing: no posts there, and no error
_PLATFORM_PATHS = ("/wp-content/", "/wp-includes/")
FIRST_HOLD = timedelta(days=1)  # a REST list that first gave no posts list is asked again after this long
ASK_AGAIN = timedelta(days=30)  # the longest hold, after refusals in a row (each doubles the hold)
STATE = "wp_rest"  # site_state: {"failed_at": ISO 8601, "hold_days": N} of the last answer that was no posts list


@dataclass(frozen=True, slots=True)
class ApiPost:
    url: str
    modified: str | None  # modified_gmt as ISO 8601 UTC (``...Z``), else modified as written


def posts_url(api_root: str, page: int = 1, modified_after: datetime | None = None) -> str:
    """The posts list URL of the REST API at ``api_root`` (``https://host/wp-json/`` or the plain-permalink
    form ``https://host/?rest_route=/``)."""
    params = [("per_page", str(PER_PAGE)), ("_fields", FIELDS)]
    if page > 1:
        params.append(("page", str(page)))
    if modified_after is not None:
        params.append(("modified_after", modified_after.strftime("%Y-%m-%dT%H:%M:%S")))
    parts = urlsplit(api_root)
    query = dict(parse_qsl(parts.query))
    if "rest_route" in query:
        return urlunsplit(parts._replace(query=urlencode([("rest_route", _POSTS_ROUTE)] + params), fragment=""))
    base = api_root if api_root.endswith("/") else api_root + "/"
    return urljoin(base, "wp/v2/posts") + "?" + urlencode(params)


def probe_root(blog_url: str) -> str:
    """Where a blog's REST API lives when it does not say: ``<blog root>wp-json/``."""
    return urljoin(blog_url if blog_url.endswith("/") else blog_url + "/", "wp-json/")


def looks_like_wordpress(tree, url: str) -> bool:
    """True for a page (lxml.html tree, at ``url``) that WordPress made: its ``generator`` meta names
    WordPress, or it loads stylesheets or scripts of its own site from WordPress's folders."""
    for content in tree.xpath("//meta[@name='generator']/@content"):
        if content.strip().lower().startswith("wordpress"):
            return True
    host = urlsplit(url).netloc.lower()
    for ref in tree.xpath("//link[@href]/@href | //script[@src]/@src"):
        if any(path in ref for path in _PLATFORM_PATHS):
            try:
                netloc = urlsplit(urljoin(url, ref.strip())).netloc.lower()
            except ValueError:
                continue
            if netloc == host:
                return True
    return False


def failed(now: datetime, previous: dict | None = None) -> dict:
    """The site_state value recording that a REST list gave no posts list at ``now``; ``previous``: the value
    of the refusal before it, with no posts list in between (its hold is doubled), or None (``FIRST_HOLD``)."""
    hold = FIRST_HOLD if previous is None else min(ASK_AGAIN, 2 * _hold(previous))
    return {"failed_at": now.isoformat(), "hold_days": hold / timedelta(days=1)}


def _hold(value: dict) -> timedelta:
    try:
        return timedelta(days=float(value["hold_days"]))
    except (KeyError, TypeError, ValueError):
        return ASK_AGAIN  # a value written before holds grew: it was held 30 days


def held(value: dict | None, now: datetime) -> bool:
    """True while a REST list that gave no posts list (``value``: its site_state) is not asked again."""
    try:
        since = datetime.fromisoformat(str((value or {})["failed_at"]))
    except (KeyError, ValueError):
        return False
    return now - since < _hold(value)


def handled_statuses(url: str) -> list[int]:
    """The HTTP statuses the spider's callback takes itself for a request of ``url`` (304 always; a REST
    list's ``QUIET_STATUSES`` too: REST off is no error)."""
    return [304, *QUIET_STATUSES] if is_posts_url(url) else [304]


def is_posts_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.rstrip("/").endswith("/wp-json" + _POSTS_ROUTE) or dict(parse_qsl(parts.query)).get("rest_route") == _POSTS_ROUTE


def with_page(url: str, page: int) -> str:
    """The same list URL asking for page ``page``."""
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"] + [("page", str(page))]
    return urlunsplit(parts._replace(query=urlencode(params)))


def parse_posts(body: bytes, base_url: str) -> list[ApiPost] | None:
    """The posts of a REST posts list; None when ``body`` is not one (disabled REST, an error object)."""
    try:
        data = json.loads(body.decode("utf-8-sig", "replace"))
    except ValueError:
        return None
    if not isinstance(data, list):
        return None
    posts = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("link"), str) or not item["link"].strip():
            continue
        modified = item.get("modified_gmt")
        modified = f"{modified}Z" if isinstance(modified, str) and modified and not modified.endswith("Z") else modified
        if not isinstance(modified, str):
            modified = item.get("modified") if isinstance(item.get("modified"), str) else None
        posts.append(ApiPost(urljoin(base_url, item["link"].strip()), modified))
    return posts


def with_modified_after(url: str, when: datetime) -> str:
    """List ``url`` asking only for posts modified after ``when`` (first page)."""
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("page", "modified_after")]
    params.append(("modified_after", when.strftime("%Y-%m-%dT%H:%M:%S")))
    return urlunsplit(parts._replace(query=urlencode(params)))


def more_pages(url: str, total_pages_header: str | None) -> list[str]:
    """The next pages of list ``url`` (its first page) by its ``X-WP-TotalPages``; none beyond ``MAX_PAGES``
    (the rest of such a site comes from its sitemaps and feeds: ``cut_at``)."""
    if "page=" in urlsplit(url).query and dict(parse_qsl(urlsplit(url).query)).get("page", "1") != "1":
        return []
    total = total_pages(total_pages_header)
    return [with_page(url, n) for n in range(2, min(total, MAX_PAGES) + 1)]


def total_pages(header: str | None) -> int:
    """The ``X-WP-TotalPages`` of a list (1 when missing or not a number)."""
    try:
        return max(1, int((header or "1").strip()))
    except ValueError:
        return 1


def cut_at(url: str, total_pages_header: str | None) -> int | None:
    """The list's page count when it is longer than ``MAX_PAGES`` (read on its first page), else None:
    the posts of the pages not read are left to the site's sitemaps and feeds, and the run says so."""
    if dict(parse_qsl(urlsplit(url).query)).get("page", "1") != "1":
        return None
    total = total_pages(total_pages_header)
    return total if total > MAX_PAGES else None
