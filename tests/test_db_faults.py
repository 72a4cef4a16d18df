"""Database faults: connections killed mid-crawl lose nothing; a read-only or full SQLite store stops
the crawl with a one-line reason and stays consistent."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from crawl_helpers import blogcrawl, export_records
from crawler.urls import canonicalize
from pg_helpers import admin_connection, pg_database, terminate_backends  # noqa: F401  (fixture)
from pipelines.storage.faults import fatal_reason, is_transient
from pipelines.storage.store import Store


APP = "blogcrawl_fault_test"


def _truth_urls(sites, site_truth) -> set[str]:
    return {canonicalize(site.url(p["url_path"])) for site, name in sites for p in site_truth(name)["posts"]}


def _operational(message: str, *, invalidated: bool = False, module: str = "psycopg") -> OperationalError:
    orig = type("OperationalError", (Exception,), {"__module__": module})(message)
    return OperationalError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize("error, transient, fatal", [
    (_operational("terminating connection due to administrator command"), True, None),
    (_operational("server closed the connection unexpectedly", invalidated=True), True, None),
    (_operational("attempt to write a readonly database", module="sqlite3"), False, "the database is read-only"),
    (_operational("database or disk is full", module="sqlite3"), False, "the disk is full"),
    (_operational("database is locked", module="sqlite3"), True, None),
    (_operational("no such table: articles", module="sqlite3"), False, None),
    (ValueError("not a database error"), False, None),
])
def test_database_errors_are_sorted(error, transient, fatal):
    assert is_transient(error) is transient
    assert fatal_reason(error) == fatal


def test_store_run_retries_transient_errors_and_not_others(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/s.sqlite3", retry_budget=2)
    calls = []

    def flaky(session):
        calls.append(1)
        if len(calls) < 3:
            raise _operational("terminating connection due to administrator command")
        return "ok"

    assert store.run(flaky) == "ok" and len(calls) == 3

    def broken(session):
        calls.append(1)
        raise _operational("attempt to write a readonly database", module="sqlite3")

    calls.clear()
    with pytest.raises(OperationalError):
        store.run(broken)
    assert len(calls) == 1
    store.close()


@pytest.mark.slow
def test_postgres_connections_killed_mid_crawl_lose_nothing(site_truth, pg_database):  # noqa: F811
    """Every post request kills the crawl's connections before it is answered: mid-crawl by construction,
    whatever the machine's speed. The first kill always finds one (the pool keeps the connection that
    wrote the frontier rows the posts came from)."""
    from urllib.parse import unquote

    from conftest import own_site

    db_url = f"postgresql+psycopg://postgres:s3cret@127.0.0.1:5432/{pg_database}?application_name={APP}"
    admin, guard, kills = admin_connection(), threading.Lock(), []

    def kill_on_post(method: str, path: str) -> None:
        if method == "GET" and unquote(path).startswith("/20"):  # a post of either blog
            with guard:
                kills.append(terminate_backends(admin, pg_database, APP))

    with own_site("ar") as site_ar, own_site("en") as site_en:
        for site in (site_ar, site_en):
            site.on_request = kill_on_post
        result = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--log-level", "INFO",
                           "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", timeout=240)
        for site in (site_ar, site_en):
            site.on_request = None
        stdout, stderr = result.stdout, result.stderr
        assert result.returncode == 0, stderr[-3000:]
        assert kills and kills[0] > 0, f"no connection of the crawl was killed: {kills}"
        stored = {canonicalize(r["url"]) for r in export_records(db_url)}
        assert stored == _truth_urls(((site_ar, "ar"), (site_en, "en")), site_truth)
    admin.close()
    assert "s3cret" not in stdout + stderr


@pytest.mark.slow
def test_read_only_sqlite_stops_with_one_line_and_stays_consistent(tmp_path, site_en):
    db = tmp_path / "store.sqlite3"
    first = blogcrawl("crawl", site_en.base_url, "--db", f"sqlite:///{db}", "--log-level", "WARNING")
    assert first.returncode == 0, first.stderr[-3000:]
    before = export_records(f"sqlite:///{db}")
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = blogcrawl("crawl", site_en.base_url, "--db", read_only, "--log-level", "WARNING")
    assert result.returncode == 1, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "read-only" in last and "did not finish" in last, last
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert export_records(f"sqlite:///{db}") == before


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MiB tmpfs (a disk that really fills up, even for root); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount"):
        pytest.skip("no mount command")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_full_disk_stops_with_one_line_and_stays_consistent(small_disk, site_ar, site_en, site_truth):
    db = small_disk / "store.sqlite3"
    db_url = f"sqlite:///{db}"
    Store(db_url).close()  # the schema, then fill the disk but for a few pages
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:
        try:
            handle.write(b"\0" * (2 * 2**20))
        except OSError:
            pass
    filler.write_bytes(b"\0" * (filler.stat().st_size - 200 * 1024))
    result = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode in (1, 69), result.stderr[-3000:]  # 69: full before the crawl could start
    last = result.stderr.strip().splitlines()[-1]
    assert "disk is full" in last, last
    filler.unlink()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--log-level", "WARNING")
    assert again.returncode == 0, again.stderr[-3000:]
    stored = {canonicalize(r["url"]) for r in export_records(db_url)}
    assert stored == _truth_urls(((site_ar, "ar"), (site_en, "en")), site_truth)
