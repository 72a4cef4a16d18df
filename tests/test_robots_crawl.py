"""robots.txt as a crawl reads it: a ``Sitemap:`` line given relative to the site, in a file that starts
with a byte-order mark, leads to the sitemap and to the post only that sitemap names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawl_helpers import blogcrawl
from localsite import LocalSite

pytestmark = pytest.mark.slow

BODY = "".join(f"<p>Paragraph {i} of the hidden post, long enough to be the text of an article on a blog. "
               "The harbour opened again this spring after the works on the old pier were finished.</p>" for i in range(6))


def build(root: Path) -> None:
    (root / "hidden-post").mkdir(parents=True)
    (root / "index.html").write_text("<html lang='en'><head><title>Harbour</title></head><body class='home blog'>"
                                     "<p>Nothing linked here.</p></body></html>", encoding="utf-8")
    (root / "hidden-post" / "index.html").write_text(
        "<html lang='en'><head><title>The pier - Harbour</title></head>"
        "<body class='post-template-default single single-post postid-7'><article>"
        f"<h1 class='entry-title'>The pier</h1><div class='entry-content'>{BODY}</div></article></body></html>",
        encoding="utf-8")
    (root / "maps").mkdir()
    (root / "maps" / "posts.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>{{BASE}}/hidden-post/</loc></url></urlset>", encoding="utf-8")
    (root / "robots.txt").write_bytes("\ufeffSitemap: /maps/posts.xml\nUser-agent: *\nDisallow: /private/\n".encode("utf-8"))


def test_relative_sitemap_line_after_a_bom_is_followed(tmp_path):
    build(tmp_path / "site")
    db = tmp_path / "store.sqlite3"
    with LocalSite(tmp_path / "site") as site:
        result = blogcrawl("crawl", site.base_url, "--db", f"sqlite:///{db}", "--log-level", "WARNING")
        assert result.returncode == 0, result.stderr[-3000:]
        paths = [path for _, path, _ in site.requests]
    assert "/maps/posts.xml" in paths
    with sqlite3.connect(db) as con:
        urls = [url for (url,) in con.execute("SELECT url FROM articles")]
    assert urls == [site.url("/hidden-post/")]
