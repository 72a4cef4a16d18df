"""The same crawl into PostgreSQL and into SQLite gives the same export (fetch times aside), near-duplicate
copies included. Needs the PostgreSQL server on 127.0.0.1:5432 (skipped without it, except under CI)."""

from __future__ import annotations

import json

import pytest

from crawl_helpers import blogcrawl
from pg_helpers import pg_database  # noqa: F401  (fixture)
from syndication_web import syndication_web

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)


def _export(db_url: str) -> list[dict]:
    result = blogcrawl("export", "--db", db_url, "--with-copies")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    for record in records:
        record.pop("fetched_at")
        record["copies"] = sorted(record["copies"])
    return sorted(records, key=lambda r: r["url"])


def _crawl_both(tmp_path, pg_name: str, *roots: str) -> tuple[list[dict], list[dict]]:
    exports = []
    for db_url in (f"sqlite:///{tmp_path}/store.sqlite3", f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"):
        result = blogcrawl("crawl", *roots, "--db", db_url, "--log-level", "WARNING")
        assert result.returncode == 0, result.stderr[-3000:]
        exports.append(_export(db_url))
    return exports[0], exports[1]


def test_bundled_blogs_export_the_same_from_postgresql(tmp_path, pg_database, site_ar, site_en):  # noqa: F811
    sqlite, postgres = _crawl_both(tmp_path, pg_database, site_ar.base_url, site_en.base_url)
    assert len(sqlite) == 8
    assert postgres == sqlite


def test_syndicated_copies_are_linked_the_same_in_postgresql(tmp_path, pg_database):  # noqa: F811
    with syndication_web(tmp_path / "web") as (origin, mirror):
        sqlite, postgres = _crawl_both(tmp_path, pg_database, origin.base_url, mirror.base_url)
    assert len(sqlite) == 3 and sum(len(r["copies"]) for r in sqlite) == 2
    assert postgres == sqlite


@pytest.mark.parametrize("command", [("export",), ("db", "upgrade")])
def test_unreachable_postgresql_is_one_line(command):
    result = blogcrawl(*command, "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/none")
    assert result.returncode == 69
    assert len(result.stderr.strip().splitlines()) == 1 and "secret" not in result.stderr
