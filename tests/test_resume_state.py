"""All run state is in the store: a crawl killed with kill -9 twice, then resumed, makes at most 1.15x the
requests of an uninterrupted crawl and ends with the same export.

The site (written here, served on 127.0.0.1) has a complete sitemap, so its category, tag and date
archives are skipped ("this site's sitemaps answered": policy state), and posts whose only date is
in the feed (a frontier hint). The kills happen at fixed points, from the server: when the 20th and
the 50th post page are asked for, the crawl's process group gets SIGKILL before the answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from crawl_helpers import REPO, blogcrawl, export_records, stored_articles
from localsite import LocalSite

pytestmark = pytest.mark.slow

DATED, FEED_ONLY, CATEGORIES, TAGS = 60, 10, 6, 8
WORDS = ("river", "market", "school", "bridge", "garden", "library", "theatre", "harbour", "bakery", "orchard",
         "factory", "village", "mountain", "station", "meadow", "lantern")
SETTINGS = ("-s", "CONCURRENT_REQUESTS=2", "-s", "BLOGCRAWL_CLAIM_BATCH=4")


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _body(seed: int) -> str:
    return "".join(
        "<p>" + " ".join(f"{WORDS[(seed * 7 + i * 3 + k) % len(WORDS)]}{seed}x{i}{k}" for k in range(28))
        + " and the people of the village said the work would change their lives for years to come.</p>"
        for i in range(5)
    )


def _post(n: int, dated: bool) -> str:
    date = f"<time class='entry-date published' datetime='2024-03-{n % 28 + 1:02d}T10:00:00+00:00'></time>" if dated else ""
    nav = (f"<a href='/category/c{n % CATEGORIES}/'>c{n % CATEGORIES}</a> <a href='/tag/t{n % TAGS}/'>t{n % TAGS}</a>"
           f" <a href='/2024/03/'>March</a>") if dated else ""
    return (f"<html lang='en'><head><title>Story {n} - Village</title></head><body class='single single-post postid-{n}'>"
            f"<article><h1 class='entry-title'>Story number {n}</h1>{date}<div class='entry-content'>{_body(n)}</div>"
            f"<footer>{nav}</footer></article></body></html>")


def _listing(title: str, paths: list[str], next_page: str | None = None) -> str:
    links = "".join(f"<h2 class='entry-title'><a href='{p}'>{p}</a></h2>" for p in paths)
    more = f"<a class='next' href='{next_page}'>Older</a>" if next_page else ""
    return f"<html lang='en'><head><title>{title}</title></head><body class='archive'>{links}{more}</body></html>"


def build(root: Path) -> None:
    dated = [f"/story-{n}/" for n in range(DATED)]
    for n in range(DATED + FEED_ONLY):
        _write(root, f"/story-{n}/", _post(n, n < DATED))
    _write(root, "/index.html", _listing("Village", dated[:10]).replace(
        "<head>", "<head><link rel='alternate' type='application/rss+xml' href='{{BASE}}/feed/'>"))
    for k in range(CATEGORIES):
        members = [p for n, p in enumerate(dated) if n % CATEGORIES == k]
        _write(root, f"/category/c{k}/", _listing(f"c{k}", members[:5], f"/category/c{k}/page/2/"))
        _write(root, f"/category/c{k}/page/2/", _listing(f"c{k} 2", members[5:]))
    for k in range(TAGS):
        _write(root, f"/tag/t{k}/", _listing(f"t{k}", [p for n, p in enumerate(dated) if n % TAGS == k]))
    _write(root, "/2024/03/", _listing("March", dated[:20], "/2024/03/page/2/"))
    _write(root, "/2024/03/page/2/", _listing("March 2", dated[20:]))
    items = "".join(f"<item><title>Story {n}</title><link>{{{{BASE}}}}/story-{n}/</link>"
                    f"<pubDate>Tue, {n - DATED + 1:02d} Oct 2024 09:30:00 +0200</pubDate></item>"
                    for n in range(DATED, DATED + FEED_ONLY))
    _write(root, "/feed/index.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>Village</title>{items}</channel></rss>')
    urls = "".join(f"<url><loc>{{{{BASE}}}}{p}</loc><lastmod>2024-04-01T00:00:00+00:00</lastmod></url>" for p in dated)
    _write(root, "/sitemap.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n\nSitemap: {{BASE}}/sitemap.xml\n")


@pytest.fixture
def site(tmp_path):
    build(tmp_path / "site")
    with LocalSite(tmp_path / "site") as served:
        yield served


def _gets(site: LocalSite) -> list[str]:
    return [unquote(path) for method, path, _ in site.requests if method == "GET"]


def _command(db_url: str, site: LocalSite) -> list[str]:
    """The killed crawl's command line; extraction inline, as in this process's crawls (the pool's own
    kill -9 is tests/test_cli_procs.py's)."""
    return [sys.executable, "-m", "crawler.cli", "crawl", site.base_url, "--db", db_url, "--log-level", "WARNING",
            *SETTINGS, "-s", "BLOGCRAWL_EXTRACT_WORKERS=0"]


def _crawl_killed_at(db_url: str, site: LocalSite, post_request: int, seen: list[int]) -> None:
    """Runs the crawl in its own process group and kills it with SIGKILL at a fixed point: when the
    ``post_request``-th post page of the whole test (``seen[0]`` counts them across processes) is asked
    for, once every post page answered so far is stored. Post requests that come meanwhile wait, unanswered."""
    proc = subprocess.Popen(_command(db_url, site), cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    lock, killed = threading.Lock(), threading.Event()

    def kill_at(method: str, path: str) -> None:
        if method != "GET" or not path.startswith("/story-"):
            return
        with lock:
            seen[0] += 1
            n = seen[0]
        if n > post_request:
            killed.wait(120)
            return
        if n < post_request:
            return
        answered = {p for m, p, status in site.requests if m == "GET" and p.startswith("/story-") and status == 200}
        deadline = time.monotonic() + 120  # a bound on a hang, not a timing assumption
        while stored_articles(db_url.removeprefix("sqlite:///")) < len(answered) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
        killed.set()

    site.on_request = kill_at
    try:
        code = proc.wait(timeout=300)
    finally:
        site.on_request = None
        killed.set()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert code == -signal.SIGKILL, f"the crawl was not killed (exit {code}): the kill point was never reached"


def _export(db_url: str) -> dict[str, tuple]:
    return {r["url"]: (r["content_hash"], r["published"]) for r in export_records(db_url)}


def test_kill_9_twice_then_resume_costs_at_most_115_percent(tmp_path, site):
    reference_url = f"sqlite:///{tmp_path}/reference.sqlite3"
    done = blogcrawl("crawl", site.base_url, "--db", reference_url, "--log-level", "WARNING", *SETTINGS)
    assert done.returncode == 0, done.stderr[-3000:]
    reference, uninterrupted = _export(reference_url), len(_gets(site))
    assert len(reference) == DATED + FEED_ONLY
    assert not any(p.startswith(("/category/", "/tag/", "/2024/")) for p in _gets(site)), "archives fetched"
    site.reset_log()

    db_url, seen = f"sqlite:///{tmp_path}/store.sqlite3", [0]
    _crawl_killed_at(db_url, site, 20, seen)
    _crawl_killed_at(db_url, site, 50, seen)
    resumed = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING", *SETTINGS)
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    archives = [p for p in _gets(site) if p.startswith(("/category/", "/tag/", "/2024/"))]
    assert archives == [], "a resumed run forgot that the site's sitemaps answered"
    assert _export(db_url) == reference
    total = len(_gets(site))
    assert total <= 1.15 * uninterrupted, f"{total} requests in all against {uninterrupted} uninterrupted"
