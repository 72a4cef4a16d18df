"""Fleet crawls and the run-to-run policy of issue 17's re-check work (crawler/spiders/fleet.py): a WordPress
REST list that gave no posts list is remembered in the store and not asked again while held, by a fleet
as by a single crawl. One fleet process (``crawl --frontier``) in a subprocess on a SQLite store, against a
site written here and served on 127.0.0.1; the run's clock is ``BLOGCRAWL_NOW``.

Needs Redis on 127.0.0.1:6379 (skipped with the reason when unreachable, a failure under CI=true)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawl_helpers import export_records
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
