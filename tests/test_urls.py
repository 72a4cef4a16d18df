"""Tables for crawler/urls.py: the canonical key of a page, and which URL shapes are listings."""

from __future__ import annotations

import pytest

from crawler.urls import (
    blog_root,
    canonicalize,
    feed_role,
    is_private_host,
    listing_page,
    looks_like_archive,
    looks_like_listing,
    looks_like_non_html,
    site_of,
    under_path,
    without_index_file,
)

B = "https://blog.example"
IDLIB = "/2019/09/%D8%A5%D8%AF%D9%84%D8%A8/"  # /2019/09/إدلب/ as WordPress writes it

# (url, key): every URL of a row leads to the page stored under its key
CANONICAL = [
    # tracking parameters go, content parameters stay, sorted
    (f"{B}/2024/03/slug/?utm_source=x&utm_medium=y&utm_campaign=z", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?fbclid=IwAR0&gclid=Cj0&msclkid=1&mc_cid=2&mc_eid=3&_ga=4&igshid=5", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?pk_campaign=a&mtm_source=b&hsa_acc=c", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?sid=1&PHPSESSID=abc&jsessionid=2", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?orderby=date&order=asc&sort=new", f"{B}/2024/03/slug/"),
    (f"{B}/list/?b=2&utm_source=x&a=1", f"{B}/list/?a=1&b=2"),
    # comment-reply links
    (f"{B}/2024/03/slug/?replytocom=12", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?replytocom=12#respond", f"{B}/2024/03/slug/"),
    # AMP views
    (f"{B}/2024/03/slug/amp/", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/amp", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?amp=1", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?amp", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?noamp=mobile", f"{B}/2024/03/slug/"),
    # ?p= is a WordPress post id: it is the page, not a view of one
    (f"{B}/?p=12", f"{B}/?p=12"),
    (f"{B}/?p=12&utm_source=x", f"{B}/?p=12"),
    (f"{B}/index.php?p=12", f"{B}/?p=12"),
    # print views
    (f"{B}/2024/03/slug/?print=1", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?output=print", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/?share=facebook", f"{B}/2024/03/slug/"),
    # slash twins
    (f"{B}/2024/03/slug", f"{B}/2024/03/slug/"),
    (f"{B}", f"{B}/"),
    # index-file twins
    (f"{B}/2024/03/slug/index.html", f"{B}/2024/03/slug/"),
    (f"{B}/2024/03/slug/index.htm", f"{B}/2024/03/slug/"),
    (f"{B}/index.html", f"{B}/"),
    (f"{B}/index.php", f"{B}/"),
    # files keep their name
    (f"{B}/2024/03/slug.html", f"{B}/2024/03/slug.html"),
    (f"{B}/files/report.pdf", f"{B}/files/report.pdf"),
    # Arabic paths: raw, upper- and lower-case escapes, with and without the slash
    (f"{B}/2019/09/إدلب/", f"{B}{IDLIB}"),
    (f"{B}/2019/09/%d8%a5%d8%af%d9%84%d8%a8/", f"{B}{IDLIB}"),
    (f"{B}{IDLIB}", f"{B}{IDLIB}"),
    (f"{B}{IDLIB.rstrip('/')}", f"{B}{IDLIB}"),
    (f"{B}/2019/09/إدلب/amp/?utm_source=t", f"{B}{IDLIB}"),
    (f"{B}/?s=إدلب", f"{B}/?s=%D8%A5%D8%AF%D9%84%D8%A8"),
    # case: scheme and host fold, the path does not
    (f"HTTPS://Blog.EXAMPLE/2024/03/Slug/", f"{B}/2024/03/Slug/"),
    (f"https://blog.example./2024/03/slug/", f"{B}/2024/03/slug/"),
    # default ports and fragments go, other ports stay
    (f"https://blog.example:443/a/", f"{B}/a/"),
    ("http://blog.example:80/a/", "http://blog.example/a/"),
    ("http://127.0.0.1:8080/a/#top", "http://127.0.0.1:8080/a/"),
]


@pytest.mark.parametrize(("url", "key"), CANONICAL)
def test_canonical_key(url, key):
    assert canonicalize(url) == key
    assert canonicalize(key) == key  # a key is its own key


@pytest.mark.parametrize(("a", "b"), [
    (f"{B}/?p=12", f"{B}/?p=13"),
    (f"{B}/2024/03/slug/", f"{B}/2024/03/Slug/"),
    (f"{B}/list/?page=1", f"{B}/list/?page=2"),
    ("http://blog.example/a/", "https://blog.example/a/"),
    (f"{B}/2024/03/slug/", f"{B}/2024/03/slug-2/"),
])
def test_different_pages_keep_different_keys(a, b):
    assert canonicalize(a) != canonicalize(b)


POSTS = [
    "/2024/03/slug/", "/2024/03/15/slug/", "/slug/", "/news/slug/", "/2024/03/slug.html", IDLIB,
    "/?p=12", "/index.php?p=12", "/?page_id=7", "/archives/123", "/archives/123/", "/ar/2024/03/slug/",
]
LISTINGS = [
    "/", "/page/2/", "/news/page/2", "/category/news/", "/category/news/page/3/", "/tag/x/", "/author/jane/",
    "/topics/x/", "/label/x", "/search/x/", "/search/label/Tech", "/archives/", "/archive/",
    "/2024/", "/2024/03/", "/2024/03/15/", "/feed/", "/feed", "/comments/feed/", "/2024/03/slug/feed/",
    "/rss.xml", "/atom.xml", "/?s=x", "/?paged=2", "/?cat=3", "/?tag=x",
    "/ar/", "/ar/category/x/", "/en/2024/03/", "/fr/tag/x/page/2/", "/pt-br/author/x/",
]
ARCHIVES = [
    "/category/news/", "/category/news/page/3/", "/tag/x/", "/author/jane/", "/2024/", "/2024/03/", "/2024/03/15/",
    "/2024/03/page/2/", "/ar/category/x/", "/en/2024/03/",
]
NOT_ARCHIVES = ["/", "/page/2/", "/2024/03/slug/", "/?cat=3", "/archives/123", "/feed/", "/ar/", "/ar/2024/03/slug/"]


@pytest.mark.parametrize("path", POSTS)
def test_post_urls_are_not_listings(path):
    assert not looks_like_listing(B + path)


@pytest.mark.parametrize("path", LISTINGS)
def test_listing_urls(path):
    assert looks_like_listing(B + path)


@pytest.mark.parametrize("path", ARCHIVES)
def test_archive_urls(path):
    assert looks_like_archive(B + path)


@pytest.mark.parametrize("path", NOT_ARCHIVES)
def test_not_archive_urls(path):
    assert not looks_like_archive(B + path)


@pytest.mark.parametrize(("path", "non_html"), [
    ("/files/report.pdf", True), ("/img/a.JPG", True), ("/a.tar.gz", True), ("/style.css", True),
    ("/2024/03/slug/", False), ("/2024/03/slug.html", False), ("/page.php", False), ("/v1.2/", False),
])
def test_non_html_extensions(path, non_html):
    assert looks_like_non_html(B + path) is non_html


@pytest.mark.parametrize(("url", "site"), [
    ("https://Blog.Example/a/", "blog.example"), ("https://blog.example:443/", "blog.example"),
    ("http://127.0.0.1:8080/x", "127.0.0.1:8080"), ("http://blog.example:80/", "blog.example"),
])
def test_site_of(url, site):
    assert site_of(url) == site


@pytest.mark.parametrize(("host", "private"), [
    ("localhost", True), ("a.localhost", True), ("127.0.0.1", True), ("10.1.2.3", True), ("192.168.0.1", True),
    ("169.254.169.254", True), ("[::1]", True), ("0.0.0.0", True), ("blog.example", False), ("93.184.216.34", False),
])
def test_private_hosts(host, private):
    assert is_private_host(host) is private


# -- feeds: which list posts, which list comments (issue 17) --------------------------------------------

FEED_ROLES = [
    ("/feed/", "/", "main"), ("/feed/atom/", "/", "main"), ("/ar/feed/", "/", "main"), ("/?feed=rss2", "/", "main"),
    ("/blog/feed/", "/blog/", "main"), ("/blog/ar/feed/", "/blog/", "main"),
    ("/feeds/posts/default", "/", "main"), ("/feeds/posts/default/-/News", "/", "taxonomy"),
    ("/category/news/feed/", "/", "taxonomy"), ("/blog/tag/x/feed/atom/", "/blog/", "taxonomy"),
    ("/2024/03/feed/", "/", "taxonomy"),
    ("/feeds/123456/comments/default", "/", "comments"), ("/feeds/comments/default", "/", "comments"),
    ("/comments/feed/", "/", "comments"), ("/blog/comments/feed/", "/blog/", "comments"),
    ("/?feed=comments-rss2", "/", "comments"), ("/2024/03/slug/feed/", "/", "comments"),
    ("/slug/feed/", "/", "comments"), ("/blog/slug/feed/", "/blog/", "comments"),
    ("/2024/03/slug/", "/", None), ("/feed.xml", "/", None),
]


@pytest.mark.parametrize("path,blog,role", FEED_ROLES)
def test_feed_role(path, blog, role):
    assert feed_role(B + path, blog) == role


@pytest.mark.parametrize("url,root", [
    (f"{B}/blog", f"{B}/blog/"), (f"{B}/blog/index.html", f"{B}/blog/"), (f"{B}/blog/?x=1#a", f"{B}/blog/"),
    (f"{B}", f"{B}/"),
])
def test_blog_root(url, root):
    assert blog_root(url) == root


def test_under_path_and_index_twin_request_url():
    assert under_path(f"{B}/blog/2024/x/", "/blog/") and under_path(f"{B}/blog", "/blog/")
    assert not under_path(f"{B}/blogroll/", "/blog/") and not under_path(f"{B}/", "/blog/")
    assert under_path(f"{B}/anything/", "/")
    assert without_index_file(f"{B}/a/b/index.html?x=1") == f"{B}/a/b/?x=1"
    assert without_index_file(f"{B}/a/b/index.htm") == f"{B}/a/b/"
    assert without_index_file(f"{B}/a/b/page.html") == f"{B}/a/b/page.html"


@pytest.mark.parametrize("path", ["/blog/category/x/", "/blog/2024/03/", "/news/tag/a/page/2/"])
def test_archives_of_a_blog_under_a_path_are_listings(path):
    assert looks_like_listing(B + path) and looks_like_archive(B + path)


@pytest.mark.parametrize("path, page", [
    ("/", 1), ("/page/2/", 2), ("/category/news/page/3", 3), ("/?paged=4", 4), ("/search/label/x?page=2", 2),
    ("/category/news/", 1), ("/?page=x", 1),
])
def test_listing_page_number(path, page):
    assert listing_page(B + path) == page
