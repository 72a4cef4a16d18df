"""The raw-page archive: ``crawl --archive`` writes every response as WARC, rotated by size, and
``reextract`` rebuilds the same articles from it without the network."""

from __future__ import annotations

import sqlite3

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawl_helpers import blogcrawl, export_records
from crawler.archive import archive_files, responses

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)


def _without_fetch_time(records: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in r.items() if k != "fetched_at"} for r in records), key=lambda r: r["url"])


@pytest.fixture(scope="module")
def archived(tmp_path_factory, own_sites):
    site_ar, site_en = own_sites
    tmp = tmp_path_factory.mktemp("archive")
    db_url, archive = f"sqlite:///{tmp}/crawl.sqlite3", tmp / "warc"
    site_en.add_rule("/about/", redirect="/contact/")  # a redirect the crawl meets, to be archived too
    result = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--archive", str(archive),
                       "-s", "BLOGCRAWL_ARCHIVE_MAX_BYTES=60000", "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    return tmp, db_url, archive, site_ar.requests + site_en.requests


def test_every_response_is_archived_with_its_request(archived):
    _, _, archive, served = archived
    kinds, statuses = [], set()
    for path in archive_files(archive):
        assert path.name.startswith("blogcrawl-") and path.name.endswith(".warc.gz")
        with open(path, "rb") as handle:
            for record in ArchiveIterator(handle):
                kinds.append(record.rec_type)
                if record.rec_type == "response":
                    statuses.add(record.http_headers.get_statuscode())
    assert kinds.count("response") == kinds.count("request") == len(served)
    assert statuses == {str(status) for _, _, status in served}  # redirects and errors too, with status lines
    assert "301" in statuses
    assert len(archive_files(archive)) > 1  # rotated at 60 kB


def test_archived_pages_keep_headers_and_bodies(archived):
    _, _, archive, _ = archived
    pages = [r for r in responses(archive) if r.status == 200 and r.url.endswith("/a-month-of-sourdough/")]
    assert pages and b"What a Month of Sourdough" in pages[0].body
    names = {name.lower() for name, _ in pages[0].headers}
    assert {"content-type", "last-modified", "date", "etag"} <= names


def test_reextract_into_an_empty_store_gives_the_same_export(archived):
    tmp, db_url, archive, _ = archived
    rebuilt = f"sqlite:///{tmp}/rebuilt.sqlite3"
    result = blogcrawl("reextract", "--archive", str(archive), "--db", rebuilt)
    assert result.returncode == 0, result.stderr
    original = export_records(db_url)
    assert result.stdout.startswith(f"new={len(original)} changed=0 unchanged=0")
    assert _without_fetch_time(export_records(rebuilt)) == _without_fetch_time(original)


def test_reextract_updates_what_changed_only(archived, tmp_path):
    tmp, db_url, archive, _ = archived
    store = tmp_path / "store.sqlite3"
    with sqlite3.connect(tmp / "crawl.sqlite3") as source, sqlite3.connect(store) as copy:
        source.backup(copy)  # a WAL store: its file alone may not hold the last commits
    with sqlite3.connect(store) as db:  # as if an older extractor had left noise in one article
        db.execute("UPDATE articles SET text = text || char(10) || 'Share this: Facebook Twitter', content_hash = 'old'"
                   " WHERE id = (SELECT min(id) FROM articles)")
    result = blogcrawl("reextract", "--archive", str(archive), "--db", f"sqlite:///{store}")
    assert result.returncode == 0, result.stderr
    total = len(export_records(db_url))
    assert result.stdout.startswith(f"new=0 changed=1 unchanged={total - 1}")
    assert _without_fetch_time(export_records(f"sqlite:///{store}")) == _without_fetch_time(export_records(db_url))


def test_reextract_needs_an_archive(tmp_path):
    (tmp_path / "empty").mkdir()
    result = blogcrawl("reextract", "--archive", str(tmp_path / "empty"), "--db", f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 64 and "no WARC files" in result.stderr


def test_a_response_answered_from_the_journal_is_not_archived_again(tmp_path):
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request

    from crawler.archive import WarcArchiveMiddleware, responses

    middleware = WarcArchiveMiddleware(SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None)),
                                       tmp_path, 1 << 20)
    request = Request("http://127.0.0.1:1/post/")
    fetched = HtmlResponse(request.url, body=b"<html><body>fetched</body></html>", request=request)
    replayed = HtmlResponse(request.url, body=b"<html><body>replayed</body></html>", request=request,
                            flags=["journal"])
    assert middleware.process_response(request, fetched) is fetched
    assert middleware.process_response(request, replayed) is replayed
    middleware.close()
    assert [r.body for r in responses(tmp_path)] == [b"<html><body>fetched</body></html>"]
