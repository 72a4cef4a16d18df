"""A dead crawl fails: when no site answered (connection refused, every page 5xx, robots.txt disallowing
everything) ``blogcrawl crawl`` exits 1 with one line per failed site, and the run is ``failed`` with the
reason in ``blogcrawl runs``. A site whose posts came back mostly undated is flagged in the summary line
and in ``runs``. Sites written here, served on 127.0.0.1."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from crawl_helpers import blogcrawl
from crawler.extensions import sitehealth
from crawler.extensions.summary import summary_line
from localsite import LocalSite

FAST = ("-s", "RETRY_TIMES=1", "-s", "BLOGCRAWL_RETRY_BASE_DELAY=0.01", "--log-level", "WARNING")
WORDS = ("lake", "forest", "tower", "valley", "island", "canyon", "desert", "glacier")


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _post(n: int) -> str:
    body = "".join("<p>" + " ".join(f"{WORDS[(n + i + k) % len(WORDS)]}{n}{i}{k}" for k in range(30))
                   + " and so the travellers went on walking for many days.</p>" for i in range(4))
    return (f"<html lang='en'><head><title>Trip {n}</title></head><body class='single single-post'><article>"
            f"<h1 class='entry-title'>Trip {n}</h1><div class='entry-content'>{body}</div></article></body></html>")


def _site(root: Path, posts: int = 3, robots: str = "User-agent: *\nAllow: /\n") -> Path:
    links = "".join(f"<h2><a href='/trip-{n}/'>Trip {n}</a></h2>" for n in range(posts))
    _write(root, "/index.html", f"<html lang='en'><head><title>Trips</title></head><body class='home blog'>{links}</body></html>")
    for n in range(posts):
        _write(root, f"/trip-{n}/", _post(n))
    _write(root, "/robots.txt", robots)
    return root


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runs(db: str) -> list[dict]:
    return [json.loads(line) for line in blogcrawl("runs", "--db", db, "--json").stdout.splitlines()]


@pytest.mark.slow
def test_every_site_failed_exits_1_and_the_run_is_failed(tmp_path):
    refused = f"http://127.0.0.1:{_closed_port()}/"
    with LocalSite(_site(tmp_path / "busy")) as busy, \
            LocalSite(_site(tmp_path / "closed", robots="User-agent: *\nDisallow: /\n")) as closed:
        busy.add_rule("/*", status=503)
        db = f"sqlite:///{tmp_path / 's.db'}"
        result = blogcrawl("crawl", refused, busy.base_url, closed.base_url, "--db", db, *FAST)
        busy_site, closed_site = busy.base_url.split("//")[1].rstrip("/"), closed.base_url.split("//")[1].rstrip("/")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if re.match(r"blogcrawl: \S+ failed: ", line)]
    assert len(failed) == 3, result.stderr
    refused_site = refused.split("//")[1].rstrip("/")
    assert any(refused_site in line and "refused" in line.lower() for line in failed), failed
    assert any(busy_site in line and "503" in line for line in failed), failed
    assert any(closed_site in line and "robots.txt" in line for line in failed), failed
    (run,) = _runs(db)
    assert run["status"] == "failed"
    assert run["reason"].startswith("every site failed") and all(s in run["reason"] for s in (refused_site, busy_site, closed_site))
    assert set(run["failed_sites"]) == {refused_site, busy_site, closed_site}
    text = blogcrawl("runs", "--db", db).stdout
    assert "failed" in text and "reason: every site failed" in text


@pytest.mark.slow
def test_dead_sites_among_live_ones_are_each_named_but_the_run_finishes(tmp_path):
    """A partly dead crawl exits 0 (README, Exit codes) with one line per dead site."""
    refused = f"http://127.0.0.1:{_closed_port()}/"
    with LocalSite(_site(tmp_path / "live")) as live, \
            LocalSite(_site(tmp_path / "closed", robots="User-agent: *\nDisallow: /\n")) as closed:
        db = f"sqlite:///{tmp_path / 's.db'}"
        result = blogcrawl("crawl", live.base_url, refused, closed.base_url, "--db", db, *FAST)
        closed_site = closed.base_url.split("//")[1].rstrip("/")
    assert result.returncode == 0, result.stderr[-3000:]
    failed = [line for line in result.stderr.splitlines() if re.match(r"blogcrawl: \S+ failed: ", line)]
    refused_site = refused.split("//")[1].rstrip("/")
    assert len(failed) == 2 and any(refused_site in line for line in failed) and any(closed_site in line for line in failed), failed
    (run,) = _runs(db)
    assert run["status"] == "finished" and run["reason"].startswith("2 of 3 sites failed")
    assert run["new"] == 3


@pytest.mark.slow
def test_a_site_whose_posts_are_mostly_undated_is_flagged_in_the_summary_and_in_runs(tmp_path):
    with LocalSite(_site(tmp_path / "undated", posts=6)) as site:  # posts without any date
        db = f"sqlite:///{tmp_path / 's.db'}"
        result = blogcrawl("crawl", site.base_url, "--db", db, *FAST)
        name = site.base_url.split("//")[1].rstrip("/")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = [line for line in result.stderr.splitlines() if re.match(r"blogcrawl: 1 site, ", line)]
    assert summary and f"check {name} (6 of 6 post pages empty or undated)" in summary[0], result.stderr
    (run,) = _runs(db)
    assert run["flagged_sites"] == {name: "6 of 6 post pages empty or undated"}
    assert f"flagged: {name}" in blogcrawl("runs", "--db", db).stdout


def test_flag_rule_needs_enough_pages_and_a_majority():
    stats = {"site/a/pages": 4, "site/a/no_date": 4, "site/b/pages": 10, "site/b/empty_body": 3, "site/b/no_date": 2,
             "site/c/pages": 10, "site/c/empty_body": 3, "site/c/no_date": 3}
    assert sitehealth.flagged(stats) == {"c": "6 of 10 post pages empty or undated"}
    assert "check c (6 of 10" in summary_line(None, stats, "finished")


def test_unanswered_sites_and_their_reasons():
    class Row:
        def __init__(self, error=None, status=None):
            self.error, self.status = error, status

    assert sitehealth.unanswered_sites(["a", "b"], {"site/a/answered": 2}) == ["b"]
    assert sitehealth.failure_reason(Row(error="ConnectionRefusedError: refused")) == "ConnectionRefusedError: refused"
    assert sitehealth.failure_reason(Row(status=503)) == "HTTP 503"
    assert sitehealth.failure_reason(None) == "no page answered"
