"""Post detection that does not hinge on the date, crawled on small sites written here and served on 127.0.0.1.

- a Blogger-markup blog (posts in ``div.widget.Blog``, the date in ``h2.date-header`` before the post,
  no article metadata): every post stored and dated;
- a WordPress site whose static pages are long and carry og:type "article" (as SEO plugins set it):
  none of them stored, every post stored;
- a post with no date anywhere but post structure: stored with ``published`` null.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawl_helpers import blogcrawl, export_records
from localsite import LocalSite

PARA = ("The town council met again on a wet evening and talked for hours about the new library, the old "
        "bridge and the market square, and nobody left before the last vote was counted. ")
WORDS = ("river", "harbour", "orchard", "bakery", "tram", "choir", "museum", "stadium", "ferry", "garden", "clinic",
         "school", "theatre", "mill", "quarry", "chapel")


def body(seed: int) -> str:
    """Six paragraphs of text no other page of these sites shares (the crawl drops near-duplicates)."""
    return "".join(f"<p>{' '.join(f'The {WORDS[(seed * 7 + i * 3 + k) % len(WORDS)]} story {seed}.{i}.{k}' for k in range(12))}. "
                   f"{PARA}</p>" for i in range(6))

BLOGGER_POSTS = [  # (path, title, date-header text, day)
    ("/2024/01/first-snow.html", "First snow on the hills", "Monday, January 8, 2024", date(2024, 1, 8)),
    ("/2024/02/market-day.html", "Market day in the old square", "Thursday, February 15, 2024", date(2024, 2, 15)),
    ("/2024/03/library-opens.html", "افتتاح المكتبة الجديدة", "الأحد، 3 آذار 2024", date(2024, 3, 3)),
    ("/2024/03/bridge-works.html", "Works start on the old bridge", "Saturday, March 9, 2024", date(2024, 3, 9)),
]
WP_POSTS = [("/2024/02/12/council-vote/", "The council vote", "2024-02-12T18:30:00+02:00"),
            ("/2024/03/01/spring-fair/", "The spring fair", "2024-03-01T09:00:00+02:00")]
WP_PAGES = ["/about/", "/services/", "/contact/", "/our-story/"]
UNDATED_POST = "/2024/03/a-post-without-date/"


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _site_files(root: Path, paths: list[str]) -> None:
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n\nSitemap: {{BASE}}/sitemap.xml\n")
    urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in paths)
    _write(root, "/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


def blogger_post(title: str, header: str, seed: int) -> str:
    sidebar = ("<div class='widget PopularPosts' id='PopularPosts1'><h2>Popular</h2><ul>"
               "<li><a href='/2023/12/old.html'>An old post</a> <span class='date'>December 1, 2023</span></li></ul></div>")
    return (f"<html dir='ltr'><head><meta content='blogger' name='generator'><title>Town notes: {title}</title></head>"
            "<body class='variant-indie'><div class='header-outer'><h1 class='title'>Town notes</h1></div>"
            "<div class='main-outer'><div class='section' id='main'><div class='widget Blog' id='Blog1'>"
            f"<div class='blog-posts hfeed'><div class='date-outer'><h2 class='date-header'><span>{header}</span></h2>"
            "<div class='date-posts'><div class='post-outer'><div class='post hentry'>"
            f"<h3 class='post-title entry-title'>{title}</h3><div class='post-header'></div>"
            f"<div class='post-body entry-content'>{body(seed)}</div>"
            "<div class='post-footer'>Posted by Ann</div></div></div></div></div></div></div></div>"
            f"<div class='sidebar-outer'>{sidebar}</div></div></body></html>")


def wordpress(title: str, body_class: str, content: str, head: str = "") -> str:
    return (f"<html lang='en-US'><head><title>{title} &#8211; Acme Studio</title>"
            f"<meta property='og:type' content='article'>{head}</head><body class='{body_class}'>"
            "<header class='site-header'><p class='site-title'>Acme Studio</p><nav class='menu'><a href='/about/'>About</a>"
            "<a href='/services/'>Services</a></nav></header><main id='main'>"
            f"<article><header class='entry-header'><h1 class='entry-title'>{title}</h1></header>{content}</article>"
            "</main><footer class='site-footer'>© 2024 Acme Studio</footer></body></html>")


def build_blogger(root: Path) -> None:
    links = "".join(f"<h3 class='post-title'><a href='{p}'>{t}</a></h3>" for p, t, _, _ in BLOGGER_POSTS)
    _write(root, "/index.html", f"<html><head><title>Town notes</title></head><body><h1>Town notes</h1>{links}</body></html>")
    for seed, (path, title, header, _) in enumerate(BLOGGER_POSTS):
        _write(root, path, blogger_post(title, header, seed))
    _site_files(root, [p for p, *_ in BLOGGER_POSTS])


def build_wordpress(root: Path) -> None:
    paths = [p for p, *_ in WP_POSTS] + WP_PAGES + [UNDATED_POST]
    links = "".join(f"<a href='{p}'>{p}</a> " for p in paths)
    _write(root, "/index.html", f"<html><head><title>Acme Studio</title></head><body class='home blog'>{links}</body></html>")
    for seed, (path, title, published) in enumerate(WP_POSTS, 10):
        head = f"<meta property='article:published_time' content='{published}'>"
        _write(root, path, wordpress(title, "post-template-default single single-post postid-7", body(seed), head))
    for n, path in enumerate(WP_PAGES):
        page_head = ('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage",'
                     '"name":"x","datePublished":"2023-05-02T10:00:00+00:00"}]}</script>')
        _write(root, path, wordpress(path.strip("/").title(), f"page-template-default page page-id-{n + 2}", body(20 + n),
                                     page_head))
    undated = ("<html><head><title>A post without a date</title></head><body><div class='content'>"
               f"<h2 class='entry-title'>A post without a date</h2><div class='entry-content'>{body(30)}</div></div></body></html>")
    _write(root, UNDATED_POST, undated)
    _site_files(root, paths)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    base = tmp_path_factory.mktemp("sites")
    build_blogger(base / "blogger")
    build_wordpress(base / "wordpress")
    db_url = f"sqlite:///{base / 'store.sqlite3'}"
    with LocalSite(base / "blogger") as blogger, LocalSite(base / "wordpress") as wp:
        result = blogcrawl("crawl", blogger.base_url, wp.base_url, "--db", db_url, "--log-level", "WARNING")
        assert result.returncode == 0, result.stderr[-3000:]
        records = export_records(db_url)
        yield {(urlsplit(r["url"]).port, urlsplit(r["url"]).path): r for r in records}, blogger, wp


def _by_path(crawled, site):
    records, *_ = crawled
    return {path: r for (port, path), r in records.items() if port == urlsplit(site.base_url).port}


def test_blogger_every_post_stored_and_dated(crawled):
    _, blogger, _ = crawled
    stored = _by_path(crawled, blogger)
    assert set(stored) == {p for p, *_ in BLOGGER_POSTS}
    for path, _title, _header, day in BLOGGER_POSTS:
        assert stored[path]["published"] and stored[path]["published"][:10] == day.isoformat(), path


def test_wordpress_static_pages_not_stored_posts_are(crawled):
    _, _, wp = crawled
    stored = _by_path(crawled, wp)
    assert not set(WP_PAGES) & set(stored)
    assert {p for p, *_ in WP_POSTS} <= set(stored)
    for path, _title, published in WP_POSTS:
        assert stored[path]["published"] == published  # the page's own offset, as stated


def test_post_structure_without_date_is_stored_undated(crawled):
    _, _, wp = crawled
    stored = _by_path(crawled, wp)
    assert UNDATED_POST in stored
    assert stored[UNDATED_POST]["published"] is None
