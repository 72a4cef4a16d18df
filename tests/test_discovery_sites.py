"""Discovery on small sites written here and served on 127.0.0.1 (issue 17):

- a static export (WP2Static, HTTrack) linking ``/slug/`` and ``/slug/index.html`` (and ``index.htm``):
  one page, fetched once, stored once;
- comment feeds are never fetched (Blogger ``/feeds/ID/comments/default`` and ``/feeds/comments/default``,
  WordPress ``/comments/feed/``, ``/slug/feed/``, ``?feed=comments-rss2``), while the main feed and a
  category feed are read as post sources;
- a blog under a path (``crawl http://host/blog/``): only that blog is crawled, with the sitemaps robots.txt
  names under its path and its own ``/blog/feed/``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from crawl_helpers import blogcrawl, export_records
from localsite import LocalSite
from test_post_detection import blogger_post, body, wordpress

pytestmark = pytest.mark.slow


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _routes(root: Path, rules: dict) -> None:
    (root / "_routes.json").write_text(json.dumps({"rules": rules}), encoding="utf-8")


def _rss(paths: list[str]) -> str:
    items = "".join(f"<item><title>{p}</title><link>{{{{BASE}}}}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'


def _atom(paths: list[str]) -> str:
    entries = "".join(f"<entry><title>{p}</title><link rel='alternate' href='{{{{BASE}}}}{p}'/></entry>" for p in paths)
    return f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>x</title>{entries}</feed>"


def gets(site: LocalSite) -> list[str]:
    return [unquote(path) for method, path, _ in site.requests if method == "GET"]


def crawl(db_url: str, *roots: str):
    result = blogcrawl("crawl", *roots, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def paths_of(db_url: str) -> list[str]:
    return [urlsplit(r["url"]).path for r in export_records(db_url)]


# -- index.html twins -------------------------------------------------------------------------------

EXPORT_POSTS = ["/2024/03/river-walk/", "/2024/03/harbour-day/", "/2024/04/orchard-fair/"]


def build_export(root: Path) -> None:
    """A static export: every page links the others both as ``/slug/`` and as ``/slug/index.html``."""
    twins = "".join(f"<a href='{p}'>{p}</a> <a href='{p}index.html'>{p}</a> <a href='{p}index.htm'>.</a> "
                    for p in EXPORT_POSTS)
    _write(root, "/index.html", f"<html><head><title>Export</title></head><body class='home blog'>{twins}</body></html>")
    for seed, path in enumerate(EXPORT_POSTS, 40):
        head = f"<meta property='article:published_time' content='2024-03-{seed - 30:02d}T10:00:00+00:00'>"
        content = body(seed) + f"<p>{twins}</p>"
        _write(root, path, wordpress(f"Post {seed}", "single single-post", content, head))
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n")


def test_index_html_twins_are_one_page_fetched_once(tmp_path):
    build_export(tmp_path / "export")
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with LocalSite(tmp_path / "export") as site:
        crawl(db_url, site.base_url)
        fetched = Counter(p.removesuffix("index.html").removesuffix("index.htm") for p in gets(site))
    assert all(fetched[p] == 1 for p in EXPORT_POSTS), fetched
    assert sorted(paths_of(db_url)) == sorted(EXPORT_POSTS)


# -- comment feeds ------------------------------------------------------------------------------------

BLOGGER = ["/2024/01/first-snow.html", "/2024/02/market-day.html"]
BLOGGER_LABEL_ONLY = "/2024/02/only-in-label-feed.html"  # reachable only through the label feed
WP = ["/2024/05/spring-fair/", "/2024/05/council-vote/"]
WP_CATEGORY_ONLY = "/2024/05/only-in-category-feed/"  # reachable only through the category feed
COMMENT_FEEDS = {"/feeds/comments/default", "/feeds/101/comments/default", "/feeds/102/comments/default",
                 "/comments/feed/", "/2024/05/spring-fair/feed/", "/2024/05/council-vote/feed/", "/?feed=comments-rss2"}


def build_blogger_feeds(root: Path) -> None:
    head = ("<link rel='alternate' type='application/atom+xml' href='/feeds/posts/default'>"
            "<link rel='alternate' type='application/atom+xml' href='/feeds/comments/default'>")
    links = "".join(f"<a href='{p}'>{p}</a> " for p in BLOGGER) + "<a href='/feeds/posts/default/-/News'>News feed</a>"
    _write(root, "/index.html", f"<html><head><title>Town notes</title>{head}</head><body>{links}</body></html>")
    for n, path in enumerate(BLOGGER + [BLOGGER_LABEL_ONLY]):
        page = blogger_post(f"Post {n}", f"Monday, January {n + 8}, 2024", 50 + n)
        page = page.replace("</body>", f"<a href='/feeds/{101 + n}/comments/default'>Post comments (Atom)</a></body>")
        _write(root, path, page)
    atom = "application/atom+xml"
    _routes(root, {
        "/feeds/posts/default": {"body": _atom(BLOGGER), "content_type": atom},
        "/feeds/posts/default/-/News": {"body": _atom([BLOGGER_LABEL_ONLY]), "content_type": atom},
        **{p: {"body": _atom([]), "content_type": atom} for p in COMMENT_FEEDS if p.startswith("/feeds/")},
    })
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n")


def build_wordpress_feeds(root: Path) -> None:
    head = ("<link rel='alternate' type='application/rss+xml' href='/feed/'>"
            "<link rel='alternate' type='application/rss+xml' href='/comments/feed/'>")
    links = "".join(f"<a href='{p}'>{p}</a> " for p in WP) + "<a href='/category/news/feed/'>News (RSS)</a>"
    links += "<a href='/?feed=comments-rss2'>Comments (RSS)</a>"
    _write(root, "/index.html", f"<html><head><title>Acme</title>{head}</head><body class='home blog'>{links}</body></html>")
    for n, path in enumerate(WP + [WP_CATEGORY_ONLY]):
        post_head = (f"<meta property='article:published_time' content='2024-05-0{n + 1}T10:00:00+00:00'>"
                     f"<link rel='alternate' type='application/rss+xml' href='{path}feed/'>")
        content = body(60 + n) + f"<p><a href='{path}feed/'>Comments feed</a></p>"
        _write(root, path, wordpress(f"WP post {n}", "single single-post", content, post_head))
    rss = "application/rss+xml"
    _routes(root, {
        "/feed/": {"body": _rss(WP), "content_type": rss},
        "/category/news/feed/": {"body": _rss([WP_CATEGORY_ONLY]), "content_type": rss},
        **{p: {"body": _rss([]), "content_type": rss} for p in COMMENT_FEEDS if not p.startswith("/feeds/")},
    })
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n")


def test_comment_feeds_never_fetched_post_feeds_read(tmp_path):
    build_blogger_feeds(tmp_path / "blogger")
    build_wordpress_feeds(tmp_path / "wp")
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with LocalSite(tmp_path / "blogger") as blogger, LocalSite(tmp_path / "wp") as wp:
        crawl(db_url, blogger.base_url, wp.base_url)
        fetched = set(gets(blogger)) | set(gets(wp))
    assert not fetched & COMMENT_FEEDS, sorted(fetched & COMMENT_FEEDS)
    assert {"/feeds/posts/default", "/feeds/posts/default/-/News", "/feed/", "/category/news/feed/"} <= fetched
    assert set(paths_of(db_url)) == set(BLOGGER + [BLOGGER_LABEL_ONLY] + WP + [WP_CATEGORY_ONLY])


# -- a blog under a path ----------------------------------------------------------------------------

BLOG = ["/blog/2024/06/first-light/", "/blog/2024/06/night-ferry/"]
BLOG_SITEMAP_ONLY = "/blog/2024/06/only-in-sitemap/"
BLOG_FEED_ONLY = "/blog/2024/06/only-in-feed/"
SHOP = ["/shop/lamp/", "/shop/chair/", "/2024/06/host-news/"]


def build_host_with_blog(root: Path) -> None:
    shop_links = "".join(f"<a href='{p}'>{p}</a> " for p in SHOP)
    _write(root, "/index.html", f"<html><head><title>Host</title></head><body class='home'>{shop_links}"
                                "<a href='/blog/'>Blog</a></body></html>")
    for n, path in enumerate(SHOP):
        head = f"<meta property='article:published_time' content='2024-06-0{n + 1}T10:00:00+00:00'>"
        _write(root, path, wordpress(f"Host page {n}", "single single-post", body(70 + n), head))
    blog_links = "".join(f"<a href='{p}'>{p}</a> " for p in BLOG) + shop_links + "<a href='/'>Home</a>"
    _write(root, "/blog/index.html", "<html><head><title>Blog</title>"
                                     "<link rel='alternate' type='application/rss+xml' href='/blog/feed/'></head>"
                                     f"<body class='home blog'>{blog_links}</body></html>")
    for n, path in enumerate(BLOG + [BLOG_SITEMAP_ONLY, BLOG_FEED_ONLY]):
        head = f"<meta property='article:published_time' content='2024-06-1{n}T10:00:00+00:00'>"
        content = body(80 + n) + f"<p>{shop_links}</p>"
        _write(root, path, wordpress(f"Blog post {n}", "single single-post", content, head))
    urlset = lambda paths: ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            + "".join(f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in paths) + "</urlset>")
    _write(root, "/sitemap.xml", urlset(SHOP))
    _write(root, "/blog/sitemap.xml", urlset(BLOG + [BLOG_SITEMAP_ONLY]))
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n\nSitemap: {{BASE}}/sitemap.xml\nSitemap: {{BASE}}/blog/sitemap.xml\n")
    _routes(root, {"/blog/feed/": {"body": _rss([BLOG_FEED_ONLY]), "content_type": "application/rss+xml"}})


def test_root_with_a_path_is_that_blog(tmp_path):
    build_host_with_blog(tmp_path / "host")
    db_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with LocalSite(tmp_path / "host") as site:
        crawl(db_url, site.url("/blog/"))
        fetched = gets(site)
    outside = [p for p in fetched if not p.startswith("/blog/") and p != "/robots.txt"]
    assert not outside, outside
    assert {"/blog/sitemap.xml", "/blog/feed/"} <= set(fetched)
    assert set(paths_of(db_url)) == set(BLOG + [BLOG_SITEMAP_ONLY, BLOG_FEED_ONLY])
