"""A site without sitemaps (issue 17): later runs re-read its first listing pages and re-check its known
posts on the schedule of ``crawler.frontier.recheck``, with conditional GET, on a blog written here and
served on 127.0.0.1. The run's clock is moved with ``-s BLOGCRAWL_NOW`` (no test waits for time):

- run 1 (2026-01-08): the home page, two listing pages and three posts;
- run 2 (a day later), after a recent and an old post were edited and a new post was linked from
  ``/page/2/`` only: the recent post is fetched and its new text stored, the old one is not due (not
  requested), the new post is found;
- run 3 (a month later): the old post is due, its edit stored; the unchanged posts answer 304 and cost
  no extraction (extraction calls counted);
- run 4 (8 days later): the old post that changed at its last check is checked weekly now, the other
  old post still monthly.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock
from urllib.parse import unquote, urlsplit

import pytest

from crawl_helpers import blogcrawl, export_records
from crawler.frontier import recheck
from localsite import LocalSite
from test_post_detection import body, wordpress

RECENT, OLD, OLDER, NEW = "/2026/01/recent-post/", "/2025/06/old-post/", "/2025/05/older-post/", "/2026/01/new-post/"
PUBLISHED = {RECENT: "2026-01-06T09:00:00+00:00", OLD: "2025-06-01T09:00:00+00:00",
             OLDER: "2025-05-01T09:00:00+00:00", NEW: "2026-01-08T20:00:00+00:00"}
RUN_1, RUN_2, RUN_3 = "2026-01-08T00:00:00+00:00", "2026-01-09T00:00:00+00:00", "2026-02-10T00:00:00+00:00"
RUN_4 = "2026-02-18T00:00:00+00:00"  # 8 days after run 3
EDIT = "<p>This paragraph was written after the first crawl of the blog.</p>"


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def write_post(root: Path, path: str, extra: str = "") -> None:
    seed = sorted(PUBLISHED).index(path) + 40
    head = f"<meta property='article:published_time' content='{PUBLISHED[path]}'>"
    _write(root, path, wordpress(f"Post {seed}", "single single-post", extra + body(seed), head))


def edit_site(root: Path) -> None:
    """The changes between the first two runs: the recent and the old post edited, a new post on page 2."""
    write_post(root, RECENT, EDIT)
    write_post(root, OLD, EDIT)
    write_post(root, NEW)
    _write(root, "/page/2/", listing(OLDER, NEW))


def listing(*paths: str) -> str:
    links = "".join(f"<h2 class='entry-title'><a href='{p}'>{p}</a></h2>" for p in paths)
    return f"<html><head><title>Acme notes</title></head><body class='home blog'>{links}</body></html>"


def build(root: Path) -> None:
    (root / "robots.txt").parent.mkdir(parents=True, exist_ok=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")  # names no sitemap; none answers
    _write(root, "/", listing(RECENT, OLD, "/page/2/", "/category/news/"))
    _write(root, "/page/2/", listing(OLDER))
    _write(root, "/category/news/", listing(RECENT, OLD))
    for path in (RECENT, OLD, OLDER):
        write_post(root, path)


def gets(site: LocalSite) -> list[tuple[str, int]]:
    return [(unquote(path), status) for method, path, status in site.requests if method == "GET"]


def texts(db_url: str) -> dict[str, str]:
    return {urlsplit(r["url"]).path: r["text"] for r in export_records(db_url)}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The three runs: for each, (GETs with their status, the crawl's stats, pages extracted, texts stored)."""
    from crawler import extract_pool

    tmp = tmp_path_factory.mktemp("recheck")
    root, db_url = tmp / "site", f"sqlite:///{tmp / 'store.sqlite3'}"
    build(root)
    extracted: list[str] = []

    def counted(snapshot, article=True):
        extracted.append(urlsplit(snapshot.url).path)
        return analyse(snapshot, article)

    analyse = extract_pool.analyse
    found = []
    with LocalSite(root) as site, mock.patch.object(extract_pool, "analyse", counted):
        for now, change in ((RUN_1, None), (RUN_2, "edit"), (RUN_3, None), (RUN_4, None)):
            if change:
                edit_site(root)
            site.reset_log()
            extracted.clear()
            result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING", "-s", f"BLOGCRAWL_NOW={now}")
            assert result.returncode == 0, result.stderr[-3000:]
            found.append((gets(site), result.stats, list(extracted), texts(db_url)))
    return found


@pytest.mark.slow
def test_second_run_fetches_the_edited_recent_post_and_stores_its_new_text(runs):
    requests, stats, _, stored = runs[1]
    assert (RECENT, 200) in requests, requests
    assert "written after the first crawl" in stored[RECENT]
    assert stats.get("frontier/posts_rechecked") == 1, stats  # the recent post only


@pytest.mark.slow
def test_an_old_post_not_yet_due_is_not_fetched(runs):
    requests, _, _, stored = runs[1]
    paths = [p for p, _ in requests]
    assert OLD not in paths and OLDER not in paths, paths
    assert "written after the first crawl" not in stored[OLD]  # edited, not seen yet
    # robots, home, sitemap.xml, the blog's feed, two listing pages, the edited post, the new one
    assert len(requests) == 8, requests


@pytest.mark.slow
def test_a_new_post_only_on_a_listing_page_is_found(runs):
    requests, stats, _, stored = runs[1]
    assert ("/page/2/", 200) in requests and (NEW, 200) in requests, requests
    assert NEW in stored
    assert stats.get("frontier/listings_reread") == 2, stats


@pytest.mark.slow
def test_a_month_later_old_posts_are_due_and_304_costs_no_extraction(runs):
    requests, _, extracted, stored = runs[2]
    assert "written after the first crawl" in stored[OLD]
    answered = dict(requests)
    assert {p for p, s in requests if s == 304} >= {RECENT, OLDER, NEW, "/page/2/", "/category/news/"}, requests
    assert answered[OLD] == 200
    assert sorted(extracted) == sorted(p for p, s in requests if s == 200 and not p.endswith(".txt")), (extracted, requests)


@pytest.mark.slow
def test_an_old_post_found_changed_is_checked_more_often(runs):
    paths = [p for p, _ in runs[3][0]]
    assert OLD in paths and OLDER not in paths, paths


# -- the schedule (pure) ------------------------------------------------------------------------------

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)


def known(key: str, dated_days: float | None, checked_days: float, site: str = "a", post: bool = True) -> recheck.Known:
    dated = None if dated_days is None else NOW - timedelta(days=dated_days)
    return recheck.Known(key, f"https://{site}/{key}", site, NOW - timedelta(days=checked_days), dated, post)


@pytest.mark.parametrize("dated, checked, is_due", [
    (2, 0, True),  # under a week old: every run
    (30, 6, False), (30, 7, True),  # under 60 days: weekly
    (400, 29, False), (400, 30, True),  # older: monthly
    (None, 29, False), (None, 31, True),  # no date: monthly
])
def test_schedule(dated, checked, is_due):
    _, posts = recheck.due([known("p/", dated, checked)], NOW)
    assert bool(posts) is is_due


@pytest.mark.parametrize("dated, every", [(2, 0), (30, 0), (400, 7), (None, 7)])
def test_a_post_found_changed_is_checked_one_step_more_often(dated, every):
    page = known("p/", dated, 0)
    assert recheck.every(page.dated, NOW, changed=True) == timedelta(days=every)


def test_cap_per_site_longest_overdue_first():
    pages = [known(f"p{n}/", 400, 30 + n) for n in range(5)] + [known("q/", 400, 31, site="b")]
    _, posts = recheck.due(pages, NOW, cap=2)
    assert [p.url_key for p in posts] == ["p4/", "p3/", "q/"]


def test_first_listing_pages_only():
    pages = [known(path, None, 0, post=False) for path in ("page/2/", "page/3/", "category/x/", "about/", "?paged=2")]
    listings, _ = recheck.due(pages, NOW)
    assert [p.url_key for p in listings] == ["page/2/", "category/x/", "?paged=2"]


def test_bad_clock_is_a_value_error():
    assert recheck.parse_now("2026-01-08") == datetime(2026, 1, 8, tzinfo=timezone.utc)
    assert recheck.parse_now("") is None
    with pytest.raises(ValueError):
        recheck.parse_now("yesterday")


@pytest.mark.slow
def test_a_wordpress_rest_site_is_not_rechecked(tmp_path):
    """Its REST list tells what changed (``modified_after``): a run a month later asks it, not each post."""
    from test_discovery_wpapi import POSTS, WordPress

    wp, db_url = WordPress(tmp_path / "wp"), f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with wp.site as site:
        for now in (RUN_1, RUN_3):
            site.reset_log()
            result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING", "-s", f"BLOGCRAWL_NOW={now}")
            assert result.returncode == 0, result.stderr[-3000:]
        later = [p for p, _ in gets(site)]
    assert not set(POSTS) & set(later), later
    assert not result.stats.get("frontier/posts_rechecked"), result.stats


def test_a_bad_clock_setting_is_one_line_and_exit_64(tmp_path):
    result = blogcrawl("crawl", "http://127.0.0.1:9/", "--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "-s", "BLOGCRAWL_NOW=yesterday")
    assert result.returncode == 64, result.stderr  # USAGE (README, "Exit codes")
    assert "BLOGCRAWL_NOW" in result.stderr and "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
