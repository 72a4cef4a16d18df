"""A site whose sitemap answers but gives no ``lastmod`` (issue 17): the sitemap names its new posts, not
its edits, so its known posts follow the re-check schedule of a site without sitemaps (its listings are
not re-read: new posts come from the sitemap). A sitemap with ``lastmod`` is trusted as before. Blogs
written here, served on 127.0.0.1; the run's clock moved with ``BLOGCRAWL_NOW``."""

from __future__ import annotations

import pytest

from crawl_helpers import blogcrawl
from localsite import LocalSite
from test_recheck import EDIT, OLD, OLDER, PUBLISHED, RECENT, RUN_1, RUN_2, _write, gets, listing, texts, write_post


def build(root, lastmod: bool) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: {{BASE}}/sitemap.xml\n", encoding="utf-8")
    _write(root, "/", listing(RECENT, OLD, "/page/2/"))
    _write(root, "/page/2/", listing(OLDER))
    for path in (RECENT, OLD, OLDER):
        write_post(root, path)
    stamp = lambda p: f"<lastmod>{PUBLISHED[p]}</lastmod>" if lastmod else ""  # noqa: E731
    urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc>{stamp(p)}</url>" for p in (RECENT, OLD, OLDER))
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>', encoding="utf-8")


def two_runs(tmp_path, lastmod: bool):
    """Run 1, then the recent post edited (its sitemap entry unchanged) and run 2 a day later."""
    root, db_url = tmp_path / "site", f"sqlite:///{tmp_path / 'store.sqlite3'}"
    build(root, lastmod)
    with LocalSite(root) as site:
        for now in (RUN_1, RUN_2):
            site.reset_log()
            result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING", "-s", f"BLOGCRAWL_NOW={now}")
            assert result.returncode == 0, result.stderr[-3000:]
            write_post(root, RECENT, EDIT)
        return [p for p, _ in gets(site)], result.stats, texts(db_url)


@pytest.mark.slow
def test_sitemap_without_lastmod_its_recent_post_is_rechecked(tmp_path):
    paths, stats, stored = two_runs(tmp_path, lastmod=False)
    assert RECENT in paths and OLD not in paths and OLDER not in paths, paths  # recent: every run; old: monthly
    assert "written after the first crawl" in stored[RECENT]
    assert stats.get("frontier/posts_rechecked") == 1, stats
    assert "/page/2/" not in paths and not stats.get("frontier/listings_reread"), paths


@pytest.mark.slow
def test_sitemap_with_lastmod_is_trusted(tmp_path):
    paths, stats, _ = two_runs(tmp_path, lastmod=True)
    assert RECENT not in paths and not stats.get("frontier/posts_rechecked"), paths
