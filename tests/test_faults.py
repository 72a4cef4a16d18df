"""A crawl of a hostile copy of the Arabic blog (tests/hostile_site.py): nothing crashes, nothing is lost.

One crawl, many checks: transient 5xx and a timeout retried (Retry-After honoured), 404/410 recorded,
redirect chains followed and loops stopped, calendar traps and session parameters bounded, oversized
pages and gzip bombs cut, non-HTML bodies never stored, windows-1256 pages decoded.
"""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import unquote

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawl_helpers import blogcrawl, export_records
from crawler.extraction import extract
from crawler.items import PageSnapshot
from localsite import LocalSite
from crawler.frontier import NOT_BEFORE
from crawler.middlewares.retry import BackoffRetryMiddleware, backoff_delay, retry_after_seconds
from crawler.urls import canonicalize
from hostile_site import add_offsite_redirects, build, post_html
from pipelines.normalize import tidy_text

BIG_PAGE = 600_000
MAX_EXTRACT = 300_000
# The hung post (hang_first) times out whatever the timeout; every other page must arrive within it, the
# 600 kB one too, on a loaded machine (2 s once let it time out and be fetched twice under load 9)
DOWNLOAD_TIMEOUT = 6


@pytest.fixture(scope="module")
def other_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("other")
    (root / "index.html").write_text("<html><body><p>another site</p></body></html>", encoding="utf-8")
    with LocalSite(root) as site:
        yield site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, other_site):
    hostile = build(tmp_path_factory.mktemp("hostile"), big_page_bytes=BIG_PAGE, bomb_bytes=50 * 2**20)
    add_offsite_redirects(hostile, other_site)
    yield hostile
    hostile.site.stop()


@pytest.fixture(scope="module")
def crawled(hostile, other_site, tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "store.sqlite3"
    db_url = f"sqlite:///{db}"
    started = time.monotonic()
    result = blogcrawl(
        "crawl", hostile.site.base_url, "--db", db_url, "--log-level", "INFO",
        "-s", f"DOWNLOAD_TIMEOUT={DOWNLOAD_TIMEOUT}", "-s", f"BLOGCRAWL_MAX_EXTRACT_BYTES={MAX_EXTRACT}",
        "-s", "DOWNLOAD_MAXSIZE=3000000", "-s", "BLOGCRAWL_RETRY_BASE_DELAY=0.2",
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(db) as conn:
        stats = json.loads(conn.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
        frontier = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT url_key, state, status FROM frontier")}
    records = {canonicalize(r["url"]): r for r in export_records(db_url)}
    return {"records": records, "stats": stats, "frontier": frontier, "log": result.stderr, "elapsed": elapsed}


def _key(hostile, path: str) -> str:
    return canonicalize(hostile.site.url(path))


@pytest.mark.slow
def test_every_faulty_post_is_stored(crawled, hostile):
    for fault, post in hostile.posts.items():
        record = crawled["records"].get(_key(hostile, post["url_path"]))
        assert record is not None, f"{fault} post not stored"
        if fault != "enc_mismatch":  # its decoding is checked (and currently fails) below
            assert record["title"] == post["title"], fault


@pytest.mark.slow
def test_transient_errors_are_retried_with_backoff(crawled, hostile):
    assert hostile.path_hits(hostile.posts["transient503"]["url_path"]) == 3  # two 503s, then 200
    assert hostile.path_hits(hostile.posts["transient500"]["url_path"]) >= 2
    stats = crawled["stats"]
    assert stats["retry/retry_after"] == 2
    assert stats["retry/delay_ms"] >= 2000  # Retry-After: 1, twice
    assert stats.get("retry/reason_count/scrapy.exceptions.DownloadTimeoutError", 0) >= 1
    assert hostile.path_hits(hostile.posts["timeout"]["url_path"]) == 2


@pytest.mark.slow
def test_gone_and_missing_pages_are_recorded(crawled, hostile):
    frontier = crawled["frontier"]
    assert frontier[_key(hostile, hostile.paths["gone"])] == ("gone", 410)
    assert frontier[_key(hostile, hostile.paths["missing"])] == ("gone", 404)


@pytest.mark.slow
def test_redirect_chains_followed_and_loops_stopped(crawled, hostile):
    for hop in ("/old/1/", "/old/2/", "/old/3/"):
        assert hostile.path_hits(hop) == 1
    assert hostile.path_hits("/loop/a/") <= 2 and hostile.path_hits("/loop/b/") <= 1
    assert crawled["stats"].get("frontier/redirect_loop", 0) >= 1


@pytest.mark.slow
def test_redirects_off_the_site_are_not_followed(crawled, other_site):
    assert other_site.requests == []


@pytest.mark.slow
def test_calendar_trap_is_bounded_by_query_depth(crawled, hostile):
    months = sorted(p for _, p, _ in hostile.site.requests if p.startswith("/calendar/"))
    assert 1 <= len(months) <= 3, months  # BLOGCRAWL_MAX_QUERY_DEPTH=2


@pytest.mark.slow
def test_session_and_sort_parameters_do_not_multiply_fetches(crawled, hostile):
    assert hostile.path_hits(hostile.posts["enc_mismatch"]["url_path"]) == 1


@pytest.mark.slow
def test_oversized_page_is_not_extracted(crawled, hostile):
    assert hostile.path_hits(hostile.paths["big"]) == 1
    assert _key(hostile, hostile.paths["big"]) not in crawled["records"]
    assert crawled["stats"]["extract_size/too_large"] == 1


@pytest.mark.slow
def test_gzip_bomb_is_cut_at_download_maxsize(crawled, hostile):
    assert _key(hostile, hostile.paths["bomb"]) not in crawled["records"]
    assert "during decompression" in crawled["log"]


@pytest.mark.slow
def test_non_html_never_stored(crawled, hostile):
    for name in ("pdf", "png", "pdf_as_html"):
        assert hostile.path_hits(hostile.paths[name]) == 1, name
        assert _key(hostile, hostile.paths[name]) not in crawled["records"], name


@pytest.mark.slow
def test_only_posts_are_stored_and_as_text(crawled, hostile):
    expected = {_key(hostile, p["url_path"]) for p in hostile.truth["posts"]}
    assert set(crawled["records"]) == expected
    for record in crawled["records"].values():
        assert "<p" not in record["text"] and "</" not in record["text"]




@pytest.mark.slow
@pytest.mark.parametrize("fault", ["enc_mismatch", "enc_header"])
def test_windows_1256_pages_come_out_as_arabic(crawled, hostile, fault):
    post = hostile.posts[fault]
    record = crawled["records"][_key(hostile, post["url_path"])]
    base = hostile.site.base_url.rstrip("/")
    original = extract(PageSnapshot(url=hostile.site.url(post["url_path"]),
                                    body=post_html(post["url_path"], base).encode("utf-8"),
                                    fetched_at=datetime.now(timezone.utc)))
    assert "\ufffd" not in record["text"]
    assert record["text"] == tidy_text(original.text)
    assert record["language"] == "ar"


# -- the retry middleware on its own -------------------------------------------------------------------

def test_retry_after_seconds_and_http_date():
    now = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_backoff_grows_and_is_capped():
    import random

    rng = random.Random(7)
    ceilings = [max(backoff_delay(n, 0.5, 8.0, rng) for _ in range(200)) for n in (1, 2, 3, 4, 10)]
    assert ceilings[0] <= 0.5 and ceilings[1] <= 1.0 and ceilings[2] <= 2.0
    assert ceilings[3] > 2.0 and ceilings[4] <= 8.0


def _middleware(**settings):
    from scrapy import Spider

    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, **settings})
    crawler.spider = crawler._create_spider("s")
    return BackoffRetryMiddleware.from_crawler(crawler), crawler


def test_retry_after_is_capped_and_waits_in_the_scheduler():
    middleware, crawler = _middleware(BLOGCRAWL_RETRY_MAX_DELAY=0.3)
    request = Request("http://127.0.0.1/p/")
    response = HtmlResponse(request.url, status=503, headers={"Retry-After": "3600"}, request=request)
    before = time.monotonic()
    retry = middleware.process_response(request, response)  # at once: nothing sleeps, no download slot held
    after = time.monotonic()
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert before + 0.3 <= retry.meta[NOT_BEFORE] <= after + 0.3  # the scheduler sends it then (capped wait)
    assert crawler.stats.get_value("retry/retry_after") == 1
    assert crawler.stats.get_value("retry/delay_ms") == 300


def test_retries_give_up_after_retry_times():
    middleware, crawler = _middleware(BLOGCRAWL_RETRY_BASE_DELAY=0.0)
    request = Request("http://127.0.0.1/p/", meta={"retry_times": 2})
    response = HtmlResponse(request.url, status=500, request=request)
    assert middleware.process_response(request, response) is response
    assert crawler.stats.get_value("retry/max_reached") == 1
