"""What users of the read commands expect: export filters, sites, runs with roots and duration, history
numbered with --diff, extract from standard input; Scrapy settings that keep a crawl safe. In-process."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest

from crawl_helpers import run_cli
from crawler.items import ArticleItem
from pipelines.storage import articles, runs
from pipelines.storage.store import Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def item(url: str, site: str, published: datetime | None, text: str, title: str = "A title", fetched=T0) -> ArticleItem:
    return ArticleItem(
        url=url, fetched_url=url, site=site, title=title, text=text, fetched_at=fetched, published=published,
        content_hash=str(hash((text, title))), language="en",
    )


@pytest.fixture()
def store_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = Store(url)
    with store.begin() as session:
        articles.upsert(session, item("http://a.example/one", "a.example", datetime(2024, 1, 10, 9, 0), "first post of a"))
        articles.upsert(session, item("http://a.example/two", "a.example", datetime(2024, 3, 5, 9, 0), "second post of a"))
        articles.upsert(session, item("http://b.example:8080/x", "b.example:8080", datetime(2024, 2, 1, 9, 0), "post of b"))
        articles.upsert(session, item("http://b.example:8080/undated", "b.example:8080", None, "undated post of b"))
        run = runs.begin(session, ["http://bob:secret@a.example/", "http://b.example:8080/"], T0)
        runs.end(session, run.id, runs.FINISHED, T0 + timedelta(minutes=2, seconds=5), {
            "response_received_count": 12, "storage/new": 4, "site/a.example/pages": 10, "site/a.example/articles": 9,
            "site/a.example/no_date": 1, "site/b.example:8080/pages": 2, "site/b.example:8080/articles": 2,
        })
    store.close()
    return url


def exported(capsys, store_url, *args) -> list[str]:
    code, out, err = run_cli(capsys, "export", "--db", store_url, *args)
    assert code == 0, err
    return [json.loads(line)["url"] for line in out.splitlines()]


def test_export_by_site_and_publication_dates(capsys, store_url):
    assert len(exported(capsys, store_url)) == 4
    assert exported(capsys, store_url, "--site", "a.example") == ["http://a.example/one", "http://a.example/two"]
    assert exported(capsys, store_url, "--site", "b.example:8080", "--site", "a.example", "--since", "2024-02-01") == [
        "http://a.example/two", "http://b.example:8080/x",
    ]
    assert exported(capsys, store_url, "--since", "2024-01-10", "--until", "2024-02-01") == [
        "http://a.example/one", "http://b.example:8080/x",
    ]  # both ends count; the undated article is left out


def test_sites_lists_articles_last_run_and_health(capsys, store_url):
    code, out, err = run_cli(capsys, "sites", "--db", store_url, "--json")
    assert code == 0, err
    records = {r["site"]: r for r in map(json.loads, out.splitlines())}
    assert set(records) == {"a.example", "b.example:8080"}
    assert records["a.example"]["articles"] == 2 and records["a.example"]["newest_published"].startswith("2024-03-05")
    assert records["a.example"]["health"]["unhealthy_share"] == 0.1 and records["a.example"]["last_run"]["status"] == "finished"
    code, out, _ = run_cli(capsys, "sites", "--db", store_url)
    assert out.splitlines()[0].startswith("a.example  2 articles") and "10% unhealthy" in out


def test_runs_show_roots_duration_and_hide_passwords(capsys, store_url):
    code, out, err = run_cli(capsys, "runs", "--db", store_url)
    assert code == 0, err
    assert "(2m05s)" in out and "roots: http://bob:***@a.example/ http://b.example:8080/" in out
    assert "secret" not in out
    code, out, _ = run_cli(capsys, "runs", "--db", store_url, "--json")
    record = json.loads(out)
    assert record["duration_s"] == 125.0 and record["roots"][0] == "http://bob:***@a.example/"
    assert "secret" not in out


def test_history_numbers_versions_and_diffs_them(capsys, store_url):
    store = Store(store_url)
    with store.begin() as session:
        articles.upsert(session, item("http://a.example/one", "a.example", datetime(2024, 1, 10, 9, 0),
                                      "first post of a\nwith a new line", fetched=T0 + timedelta(days=1)))
    store.close()
    code, out, err = run_cli(capsys, "history", "http://a.example/one", "--db", store_url)
    assert code == 0, err
    assert [json.loads(line)["version"] for line in out.splitlines()] == [1, 2]
    code, out, _ = run_cli(capsys, "history", "http://a.example/one", "--db", store_url, "--diff")
    lines = out.splitlines()
    assert lines[0].startswith("version 1  ") and any(line.startswith("version 2  ") for line in lines)
    assert "  +with a new line" in lines and "  --- version 1" in lines


def test_extract_reads_standard_input(capsys, monkeypatch):
    page = b"<html lang='en'><head><title>Hello</title></head><body><article><h1>Hello there</h1>" + b"<p>Some words here.</p>" * 40 + b"</article></body></html>"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(page)))
    code, out, err = run_cli(capsys, "extract", "-", "--url", "http://site.example/2024/05/hello/", "--fetched-at", "2024-05-01T00:00:00")
    assert code == 0, err
    record = json.loads(out)
    assert record["url"] == "http://site.example/2024/05/hello/" and "Some words here." in record["text"]


def test_scrapy_settings_keep_remote_control_and_telnet_off():
    import os

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False


def test_feed_export_fields_are_the_export_fields():
    from crawler import settings
    from crawler.commands.export import FIELDS

    assert settings.FEED_EXPORT_FIELDS == list(FIELDS)
