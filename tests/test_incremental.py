"""Cron-grade crawling: incremental runs, revisions, recrawl, the crawl lock, kill -9 and resume, runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from crawl_helpers import REPO, blogcrawl, export_records, stored_articles
from localsite import LocalSite, load_truth

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)

SITES = REPO / "fixtures" / "site"


@pytest.fixture
def sites(tmp_path):
    """Private, editable copies of the bundled blogs, served on free ports."""
    servers = []
    for name in ("ar", "en"):
        root = tmp_path / name
        shutil.copytree(SITES / name, root)
        servers.append(LocalSite(root).start())
    yield servers
    for server in servers:
        server.stop()


def crawl(db_url: str, sites, *extra: str) -> subprocess.CompletedProcess:
    result = blogcrawl("crawl", *(s.base_url for s in sites), "--db", db_url, "--log-level", "WARNING", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def post_file(site: LocalSite, url_path: str) -> Path:
    return site.root / url_path.strip("/") / "index.html"


def edit_post(site: LocalSite, post: dict, new_lastmod: str) -> str:
    """Rewrites the first paragraph of a post and bumps its sitemap lastmod; returns the new sentence."""
    sentence = "This paragraph was rewritten after the first crawl, so the post changed."
    page = post_file(site, post["url_path"])
    html = page.read_text(encoding="utf-8")
    first = post["text"].splitlines()[0]
    assert first in html
    page.write_text(html.replace(first, sentence, 1), encoding="utf-8")
    sitemap = site.root / "post-sitemap.xml"
    xml = sitemap.read_text(encoding="utf-8")
    loc = "{{BASE}}" + post["url_path"]
    head, tail = xml.split(f"<loc>{loc}</loc>", 1)
    start, end = tail.index("<lastmod>") + len("<lastmod>"), tail.index("</lastmod>")
    sitemap.write_text(head + f"<loc>{loc}</loc>" + tail[:start] + new_lastmod + tail[end:], encoding="utf-8")
    return sentence


def delete_post(site: LocalSite, post: dict) -> None:
    """The post answers 410 and leaves the sitemap, as a deleted WordPress post does."""
    site.add_rule(post["url_path"], status=410)
    sitemap = site.root / "post-sitemap.xml"
    xml = sitemap.read_text(encoding="utf-8")
    loc = "{{BASE}}" + post["url_path"]
    start = xml.index(f"<loc>{loc}</loc>")
    sitemap.write_text(xml[: xml.rindex("<url>", 0, start)] + xml[xml.index("</url>", start) + len("</url>") :], encoding="utf-8")


def gets(site: LocalSite) -> list[str]:
    return [unquote(path) for method, path, _ in site.requests if method == "GET"]


def test_second_run_is_incremental(tmp_path, sites):
    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    site_ar, site_en = sites
    crawl(db_url, sites)
    first_requests = sum(len(gets(s)) for s in sites)
    before = {r["url"]: r for r in export_records(db_url)}

    truth_en = load_truth(site_en.root)["posts"]
    edited, deleted = truth_en[0], truth_en[1]
    sentence = edit_post(site_en, edited, "2024-03-20T09:00:00-05:00")
    delete_post(site_en, deleted)
    for site in sites:
        site.reset_log()
    crawl(db_url, sites)
    second_requests = sum(len(gets(s)) for s in sites)
    # on 8 posts the 6 seed requests per site dominate; blogsim measures the ratio (bench/blogsim_epochs.py)
    assert second_requests < first_requests, (second_requests, first_requests)
    seeds = {"/robots.txt", "/", "/sitemap.xml", "/post-sitemap.xml", "/page-sitemap.xml", "/feed/",
             "/wp-json/wp/v2/posts?per_page=100&_fields=id,link,date,date_gmt,modified,modified_gmt"}  # WordPress: its REST probe (404)
    assert set(gets(site_ar)) <= seeds, gets(site_ar)  # nothing changed there: seeds only, no post
    en_posts = [p for p in gets(site_en) if p not in seeds]
    assert sorted(en_posts) == sorted([edited["url_path"], deleted["url_path"]]), gets(site_en)

    after = {r["url"]: r for r in export_records(db_url)}
    edited_url = next(u for u in after if unquote(u).endswith(edited["url_path"]))
    assert sentence in after[edited_url]["text"]
    assert not any(unquote(u).endswith(deleted["url_path"]) for u in after)
    assert len(after) == len(before) - 1
    unchanged = [u for u in after if u != edited_url]
    assert all(after[u]["content_hash"] == before[u]["content_hash"] for u in unchanged)

    history = blogcrawl("history", edited_url, "--db", db_url)
    versions = [json.loads(line) for line in history.stdout.splitlines()]
    assert len(versions) == 2
    assert sentence not in versions[0]["text"] and sentence in versions[1]["text"]
    assert versions[0]["fetched_at"] <= versions[1]["fetched_at"]

    runs = blogcrawl("runs", "--db", db_url, "--json")
    records = [json.loads(line) for line in runs.stdout.splitlines()]
    assert [r["status"] for r in records] == ["finished", "finished"]
    latest, first = records
    assert first["new"] == 8 and latest["changed"] == 1 and latest["gone"] == 1
    assert latest["fetched"] < first["fetched"]
    assert site_en.base_url.split("//")[1].rstrip("/") in latest["sites"] or latest["sites"]


def test_recrawl_reports_new_changed_unchanged_gone(tmp_path, sites):
    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    site = sites[1]
    post = load_truth(site.root)["posts"][0]
    url = site.url(post["url_path"])

    first = blogcrawl("recrawl", url, "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split()[0] == "new"
    again = blogcrawl("recrawl", url, "--db", db_url)
    assert again.stdout.split()[0] == "unchanged"
    edit_post(site, post, "2024-03-20T09:00:00-05:00")
    changed = blogcrawl("recrawl", url, "--db", db_url)
    assert changed.stdout.split()[0] == "changed:"
    assert "words" in changed.stdout.splitlines()[0]
    site.add_rule(post["url_path"], status=410)
    gone = blogcrawl("recrawl", url, "--db", db_url)
    assert gone.stdout.split()[0] == "gone"
    assert export_records(db_url) == []


def test_recrawl_failure_leaves_the_store_untouched(tmp_path, sites):
    db_path = tmp_path / "store.sqlite3"
    db_url = f"sqlite:///{db_path}"
    site = sites[1]
    post = load_truth(site.root)["posts"][0]
    url = site.url(post["url_path"])
    assert blogcrawl("recrawl", url, "--db", db_url).returncode == 0
    before = export_records(db_url)

    site.add_rule(post["url_path"], status=503)
    failed = blogcrawl("recrawl", url, "--db", db_url, "-s", "RETRY_TIMES=1")
    assert failed.returncode != 0
    assert "503" in failed.stderr and failed.stdout == ""
    refused = blogcrawl("recrawl", "http://127.0.0.1:9/2024/03/x/", "--db", db_url, "-s", "RETRY_TIMES=0")
    assert refused.returncode != 0 and "fetch failed" in refused.stderr
    assert export_records(db_url) == before


def _spawn_crawl(db_url: str, sites) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", *(s.base_url for s in sites), "--db", db_url,
         "--log-level", "WARNING", "-s", "CONCURRENT_REQUESTS=2", "-s", "BLOGCRAWL_EXTRACT_WORKERS=0"],  # pool: test_cli_procs
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def _wait_for(predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_second_crawl_on_a_locked_store_exits_75(tmp_path, sites):
    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    holds = [site.hold("/2*") for site in sites]  # the first crawl cannot finish: its posts are held
    first = _spawn_crawl(db_url, sites)
    try:
        _wait_for(lambda: any(h.arrived.is_set() for h in holds))
        # the first crawl holds the lock until it is killed below: a second crawl that waited for it would
        # run into blogcrawl()'s timeout instead of exiting 75
        second = blogcrawl("crawl", *(s.base_url for s in sites), "--db", db_url, timeout=60)
        assert second.returncode == 75, second.stderr
        assert "another crawl is running" in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        for held in holds:
            held.release()
    # the killed crawl's lock is taken over
    for site in sites:
        site.remove_rule("/2*")
    crawl(db_url, sites)
    assert len(export_records(db_url)) == 8


@pytest.mark.parametrize("kill_when", ["sitemap", "posts"])
def test_kill_9_then_resume_ends_like_an_uninterrupted_crawl(tmp_path, sites, kill_when):
    reference_url = f"sqlite:///{tmp_path}/reference.sqlite3"
    crawl(reference_url, sites)
    reference = {r["url"]: r["content_hash"] for r in export_records(reference_url)}
    for site in sites:
        site.reset_log()

    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    holds = []
    if kill_when == "sitemap":  # killed with the post sitemap asked for and not yet answered
        holds = [site.hold("/post-sitemap.xml") for site in sites]
        ready = lambda: any(h.arrived.is_set() for h in holds)  # noqa: E731
    else:
        for site in sites:
            site.add_rule("/2*", delay=1)
        ready = lambda: stored_articles(tmp_path / "store.sqlite3") >= 2  # noqa: E731
    proc = _spawn_crawl(db_url, sites)
    try:
        _wait_for(ready)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for held in holds:
            held.release()
    stored_before = {r["url"] for r in export_records(db_url)}
    for site in sites:
        site.remove_rule("/post-sitemap.xml" if kill_when == "sitemap" else "/2*")
        site.reset_log()

    crawl(db_url, sites)
    resumed = {r["url"]: r["content_hash"] for r in export_records(db_url)}
    assert resumed == reference
    refetched = [
        url for url in stored_before
        if any(unquote(url).endswith(p) for s in sites for p in gets(s) if p.startswith("/20"))
    ]
    assert refetched == [], "pages stored before the kill were fetched again"
    runs = [json.loads(line) for line in blogcrawl("runs", "--db", db_url, "--json").stdout.splitlines()]
    assert len(runs) == 1 and runs[0]["status"] == "finished"
