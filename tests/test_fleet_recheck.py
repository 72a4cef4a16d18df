"""Fleet crawls and the run-to-run policy of issue 17's re-check work (crawler/spiders/fleet.py), by a fleet
as by a single crawl:

- a WordPress REST list that gave no posts list is remembered in the store and not asked again while held;
- a site without sitemaps (tests/test_recheck.py's blog and edits): each new generation re-checks its
  known posts on the schedule of ``crawler.frontier.recheck`` with conditional GET, and does not fetch
  the known posts not due, even when linked. Generation 1 (2026-01-08); generation 2 a day later, after
  the recent and an old post were edited and a new post linked from ``/page/2/``; generation 3 a month
  after the first.

One fleet process (``crawl --frontier``) per generation, run in this process on a SQLite store, against a
site written here and served on 127.0.0.1; the run's clock is ``BLOGCRAWL_NOW``.

Needs Redis on 127.0.0.1:6379 (skipped with the reason when unreachable, a failure under CI=true)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

import uuid

from crawl_helpers import export_records
from localsite import LocalSite
from test_fleet import redis_client
from test_recheck import NEW, OLD, OLDER, RECENT, RUN_1, RUN_2, RUN_3, build, edit_site, texts
from test_recheck import gets as answered
from test_discovery_wpapi import POSTS, THEMED, WordPress, gets
from test_fleet_sites import _fleet_crawl, fleet_name  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow


def test_a_fleet_holds_a_failed_rest_probe_and_doubles_the_hold(tmp_path, fleet_name):  # noqa: F811
    wp = WordPress(tmp_path / "wp", api_status=404, sitemap=True, head=THEMED)
    db = f"sqlite:///{tmp_path / 'fleet.db'}"
    probes = []
    with wp.site as site:
        for now in ("2026-01-01T00:00:00+00:00", "2026-01-01T12:00:00+00:00", "2026-01-02T12:00:00+00:00",
                    "2026-01-03T12:00:00+00:00", "2026-01-04T12:00:00+00:00"):
            site.reset_log()
            result = _fleet_crawl(fleet_name, db, site.base_url, "-s", f"BLOGCRAWL_NOW={now}")
            assert result.returncode == 0, result.stderr[-3000:]
            probes.append(len([p for p in gets(site) if p.startswith("/wp-json/")]))
    assert probes == [1, 0, 1, 0, 1], probes
    assert {urlsplit(r["url"]).path for r in export_records(db)} == set(POSTS)


@pytest.fixture(scope="module")
def generations(tmp_path_factory):
    """The three generations: for each, (GETs with their status, the crawl's stats, texts stored)."""
    client, name = redis_client(), f"t-{uuid.uuid4().hex[:10]}"
    tmp = tmp_path_factory.mktemp("fleet-recheck")
    root, db = tmp / "site", f"sqlite:///{tmp / 'fleet.db'}"
    build(root)
    found = []
    try:
        with LocalSite(root) as site:
            for now, change in ((RUN_1, None), (RUN_2, "edit"), (RUN_3, None)):
                if change:
                    edit_site(root)
                site.reset_log()
                result = _fleet_crawl(name, db, site.base_url, "-s", f"BLOGCRAWL_NOW={now}")
                assert result.returncode == 0, result.stderr[-3000:]
                found.append((answered(site), result.stats, texts(db)))
    finally:
        keys = list(client.scan_iter(match=f"blogcrawl:{name}:*", count=500))
        if keys:
            client.delete(*keys)
    return found


def test_a_new_generation_fetches_the_edited_recent_post_and_stores_its_edit(generations):
    requests, stats, stored = generations[1]
    assert (RECENT, 200) in requests, requests
    assert "written after the first crawl" in stored[RECENT]
    assert stats.get("frontier/posts_rechecked") == 1 and stats.get("frontier/listings_reread") == 2, stats


def test_a_new_generation_does_not_fetch_known_posts_not_due_though_linked(generations):
    requests, _, stored = generations[1]
    paths = [p for p, _ in requests]
    assert OLD not in paths and OLDER not in paths, paths  # the home page and /page/2/ link them
    assert "written after the first crawl" not in stored[OLD]  # edited, not due yet
    assert (NEW, 200) in requests and NEW in stored, requests  # found on a listing page re-read


def test_a_month_later_known_posts_are_asked_with_conditional_get(generations):
    requests, _, stored = generations[2]
    assert {p for p, s in requests if s == 304} >= {RECENT, OLDER, NEW, "/page/2/", "/category/news/"}, requests
    assert dict(requests)[OLD] == 200 and "written after the first crawl" in stored[OLD]
    assert len([p for p, _ in requests if p in (RECENT, OLD, OLDER, NEW)]) == 4, requests  # each once
