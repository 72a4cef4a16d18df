"""Fleet crawls decide about sites as single-process crawls do (crawler/fleet/sites.py): the archives of a
site whose sitemaps answered are not fetched, and a site none of whose pages answered is named failed
(every site failed: exit 1 and a failed run). One fleet process (``crawl --frontier``) run in this process
on a SQLite store, against sites written here and served on 127.0.0.1.

Needs Redis on 127.0.0.1:6379 (skipped with the reason when unreachable, a failure under CI=true)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest

from crawl_helpers import blogcrawl, export_records
from localsite import LocalSite
from test_dead_crawl import _closed_port, _post, _write
from test_fleet import REDIS_URL, redis_client

pytestmark = pytest.mark.slow
FAST = ("--idle-timeout", "1", "-s", "RETRY_TIMES=1", "-s", "BLOGCRAWL_RETRY_BASE_DELAY=0.01", "--log-level", "WARNING")
POSTS = [f"/trip-{n}/" for n in range(4)]
ARCHIVES = ["/category/trips/", "/tag/desert/", "/2024/05/", "/author/reem/"]


@pytest.fixture
def fleet_name():
    client = redis_client()
    name = f"t-{uuid.uuid4().hex[:10]}"
    yield name
    keys = list(client.scan_iter(match=f"blogcrawl:{name}:*", count=500))
    if keys:
        client.delete(*keys)


def _sitemap_site(root: Path) -> Path:
    """Home links one post; the sitemap lists every post; the posts link the archives (found only after
    the sitemap answered, so the rule applies whatever the order of the fetches)."""
    _write(root, "/index.html", f"<html lang='en'><head><title>Trips</title></head><body class='home blog'>"
                                f"<a href='{POSTS[0]}'>Trip 0</a></body></html>")
    archive_links = "".join(f"<a href='{a}'>archive</a>" for a in ARCHIVES)
    for n, path in enumerate(POSTS):
        _write(root, path, _post(n).replace("</article>", f"</article><aside>{archive_links}</aside>"))
    for path in ARCHIVES:
        _write(root, path, "<html><body class='archive'>" + "".join(f"<a href='{p}'>p</a>" for p in POSTS) + "</body></html>")
    urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc></url>" for p in POSTS)
    _write(root, "/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\nSitemap: {{BASE}}/sitemap.xml\n")
    return root


def _fleet_crawl(name: str, db: str, *roots: str):
    return blogcrawl("crawl", *roots, "--frontier", REDIS_URL, "--name", name, "--db", db, *FAST)


def _runs(db: str) -> list[dict]:
    return [json.loads(line) for line in blogcrawl("runs", "--db", db, "--json").stdout.splitlines()]


def test_a_fleet_skips_the_archives_of_a_site_whose_sitemaps_answered(tmp_path, fleet_name):
    with LocalSite(_sitemap_site(tmp_path / "site")) as site:
        result = _fleet_crawl(fleet_name, f"sqlite:///{tmp_path / 'fleet.db'}", site.base_url)
        fetched = [unquote(p) for m, p, _ in site.requests if m == "GET"]
        site.reset_log()
        single = blogcrawl("crawl", site.base_url, "--db", f"sqlite:///{tmp_path / 'single.db'}", *FAST[2:])
        single_fetched = [unquote(p) for m, p, _ in site.requests if m == "GET"]
    assert result.returncode == 0 and single.returncode == 0, result.stderr[-3000:] + single.stderr[-3000:]
    assert not [p for p in fetched if p in ARCHIVES], fetched
    assert result.stats["frontier/archives_skipped"] == single.stats["frontier/archives_skipped"] == len(ARCHIVES)
    assert sorted(fetched) == sorted(single_fetched)  # the same requests as the single-process crawl
    assert len(export_records(f"sqlite:///{tmp_path / 'fleet.db'}")) == len(POSTS)


def test_a_fleet_names_its_failed_sites_and_finishes_while_one_answers(tmp_path, fleet_name):
    refused = f"http://127.0.0.1:{_closed_port()}/"
    db = f"sqlite:///{tmp_path / 's.db'}"
    with LocalSite(_sitemap_site(tmp_path / "live")) as live:
        result = _fleet_crawl(fleet_name, db, live.base_url, refused)
    assert result.returncode == 0, result.stderr[-3000:]
    failed = [line for line in result.stderr.splitlines() if re.match(r"blogcrawl: \S+ failed: ", line)]
    refused_site = refused.split("//")[1].rstrip("/")
    assert len(failed) == 1 and refused_site in failed[0] and "refused" in failed[0].lower(), result.stderr
    (run,) = _runs(db)
    assert run["status"] == "finished" and run["reason"].startswith("1 of 2 sites failed")
    assert set(run["failed_sites"]) == {refused_site}


def test_a_fleet_whose_every_site_failed_exits_1_and_its_run_is_failed(tmp_path, fleet_name):
    refused = f"http://127.0.0.1:{_closed_port()}/"
    db = f"sqlite:///{tmp_path / 's.db'}"
    with LocalSite(_sitemap_site(tmp_path / "busy")) as busy:
        busy.add_rule("/*", status=503)
        result = _fleet_crawl(fleet_name, db, refused, busy.base_url)
        busy_site = busy.base_url.split("//")[1].rstrip("/")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if re.match(r"blogcrawl: \S+ failed: ", line)]
    assert len(failed) == 2 and any(busy_site in line and "503" in line for line in failed), result.stderr
    (run,) = _runs(db)
    assert run["status"] == "failed" and run["reason"].startswith("every site failed")
