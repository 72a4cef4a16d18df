"""End-to-end: crawl the bundled blogs served on 127.0.0.1 into a temporary SQLite store."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
from urllib.parse import unquote, urlsplit

import pytest

from crawl_helpers import blogcrawl, blogcrawl_process, export_records
from crawler.urls import canonicalize

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)


@pytest.fixture(scope="module")
def site_ar(own_sites):
    """This module's own servers (its tests read their request logs): they stand in for the session's."""
    return own_sites[0]


@pytest.fixture(scope="module")
def site_en(own_sites):
    return own_sites[1]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, site_ar, site_en):
    db = tmp_path_factory.mktemp("crawl") / "store.sqlite3"
    db_url = f"sqlite:///{db}"
    result = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    return db_url, export_records(db_url)


def _key(site, path: str) -> str:
    return canonicalize(site.url(path))


def test_every_post_stored_once(crawled, site_ar, site_en, site_truth):
    _, records = crawled
    urls = [canonicalize(r["url"]) for r in records]
    assert len(urls) == len(set(urls)), "an article is stored twice"
    expected = {_key(site, p["url_path"]) for site, name in ((site_ar, "ar"), (site_en, "en")) for p in site_truth(name)["posts"]}
    assert set(urls) == expected


def test_listings_static_pages_and_duplicates_not_stored(crawled, site_ar, site_truth):
    _, records = crawled
    stored = {canonicalize(r["url"]) for r in records}
    truth = site_truth("ar")
    for path in truth["non_article_paths"]:
        assert _key(site_ar, path) not in stored, path
    titles = [r["title"] for r in records]
    assert len(titles) == len(set(titles))


def test_post_missing_from_sitemap_found_through_links(crawled, site_ar, site_truth):
    _, records = crawled
    stored = {canonicalize(r["url"]) for r in records}
    for path in site_truth("ar")["not_in_sitemap"]:
        assert _key(site_ar, path) in stored


def test_robots_disallowed_never_requested(crawled, site_ar, site_en):
    for site in (site_ar, site_en):
        paths = [unquote(path) for _, path, _ in site.requests]
        assert any(p.startswith("/robots.txt") for p in paths)
        assert not [p for p in paths if p.startswith("/private/")]


def test_fields_are_clean(crawled, site_ar, site_truth):
    _, records = crawled
    by_url = {canonicalize(r["url"]): r for r in records}
    for post in site_truth("ar")["posts"]:
        record = by_url[_key(site_ar, post["url_path"])]
        assert record["title"] == post["title"]
        assert record["language"] == "ar"
        assert record["site"] == urlsplit(site_ar.base_url).netloc
        assert record["published"][:10] == post["published"][:10]
        assert "إقرأ أيضاً" not in record["text"]
        assert "تخطى إلى المحتوى" not in record["text"]
        assert record["title"] not in record["text"].splitlines()
        assert len(record["content_hash"]) == 64 and record["fetched_at"]


def test_export_formats(crawled, tmp_path):
    db_url, records = crawled
    out = tmp_path / "articles.csv"
    result = blogcrawl("export", "--db", db_url, "--format", "csv", "-o", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["url"] for r in rows] == [r["url"] for r in records]
    assert set(rows[0]) == {
        "url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash", "kind",
    }


def _open_files_under(folder: str) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if target.startswith(folder):
                found.append(target)
    return found


def test_second_crawl_stores_nothing_twice_and_leaves_the_store_closed(crawled, site_ar, site_en):
    """The crawl disposes of its engine: no file of the store stays open in this process (garbage
    collection off, so that a forgotten engine is not closed by chance)."""
    db_url, first = crawled
    gc.disable()
    try:
        result = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--log-level", "WARNING")
        left = _open_files_under(os.path.dirname(db_url.removeprefix("sqlite:///")))
    finally:
        gc.enable()
    assert result.returncode == 0, result.stderr[-3000:]
    assert left == []
    again = export_records(db_url)
    assert sorted(r["url"] for r in again) == sorted(r["url"] for r in first)


def test_bad_root_url_is_a_usage_error(tmp_path):
    result = blogcrawl_process("crawl", "ftp://example.invalid/", "--db", f"sqlite:///{tmp_path}/x.sqlite3")  # the real executable
    assert result.returncode == 64
    assert "not an http(s) root URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_line(tmp_path):
    result = blogcrawl("crawl", "http://127.0.0.1:9/", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert result.returncode == 69
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr

