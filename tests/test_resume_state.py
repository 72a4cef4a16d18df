"""All run state is in the store: a crawl killed with kill -9 twice, then resumed, makes at most 1.15x the
requests of an uninterrupted crawl and ends with the same export.

The site (written here, served on 127.0.0.1) has a complete sitemap, so its category, tag and date
archives are skipped ("this site's sitemaps answered": policy state), and posts whose only date is
in the feed (a frontier hint). The kills happen at fixed points, from the server: when the 20th and
the 50th post page are asked for, the crawl's process group gets SIGKILL before the answer.

What a kill finds fetched and not yet stored is in the response journal (crawler/middlewares/journal.py):
a second test stops the crawl's extraction at a post page, kills the crawl once that page's response is
journaled, and checks that the resumed run asks for none of the journaled pages, nor robots.txt."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

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
            f"<footer>{nav} <a href='/private/note-{n}/'>note</a></footer></article></body></html>")


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
    for n in range(DATED + FEED_ONLY):  # robots.txt forbids them: never asked for
        _write(root, f"/private/note-{n}/", _listing(f"note {n}", []))
    _write(root, "/robots.txt", "User-agent: *\nDisallow: /private/\n\nSitemap: {{BASE}}/sitemap.xml\n")


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


def _helpers(pid: int) -> set[int]:
    """The crawl's helper processes (extraction forkserver, its worker, the resource tracker), from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _journal(path: Path) -> set[str]:
    """The paths of the page responses journaled in the store (read-only; empty before the table exists)."""
    if not path.exists():
        return set()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as connection:
            rows = connection.execute("SELECT url FROM response_journal WHERE kind = 'page'").fetchall()
    except sqlite3.OperationalError:
        return set()
    return {urlsplit(url).path for url, in rows}


def _killed_with_pages_unstored(db_path: Path, site: LocalSite, post_request: int) -> set[str]:
    """Runs the crawl (one extraction worker) and, when its ``post_request``-th post page is asked for,
    stops its extraction (SIGSTOP of the helper processes) before answering: that page and the ones in
    flight are fetched and never stored. Once that page's response is journaled, the crawl gets SIGKILL.
    Returns the paths journaled at the kill."""
    command = _command(f"sqlite:///{db_path}", site)
    command[-1] = "BLOGCRAWL_EXTRACT_WORKERS=1"
    proc = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    seen, stopped, target = [0], threading.Event(), []

    def stop_at(method: str, path: str) -> None:
        if method != "GET" or not path.startswith("/story-") or stopped.is_set():
            return
        seen[0] += 1
        if seen[0] == post_request:
            try:
                for pid in _helpers(proc.pid):
                    os.kill(pid, signal.SIGSTOP)
                target.append(unquote(path))
            finally:
                stopped.set()

    site.on_request = stop_at
    try:
        assert stopped.wait(120) and target, "the stop point was never reached"
        deadline = time.monotonic() + 120  # a bound on a hang, not a timing assumption
        while target[0] not in _journal(db_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        journaled = _journal(db_path)
    finally:
        site.on_request = None
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert target[0] in journaled, f"{target[0]} was answered and never journaled"
    return journaled


def test_pages_fetched_and_not_stored_at_a_kill_are_answered_from_the_journal(tmp_path, site):
    """A page whose response came in and whose article was not stored when the crawl was killed is not
    fetched again (the journal answers it), nor is robots.txt; the journal ends empty, the export is the
    uninterrupted crawl's, and a new run reads robots.txt again."""
    reference_url = f"sqlite:///{tmp_path}/reference.sqlite3"
    assert blogcrawl("crawl", site.base_url, "--db", reference_url, "--log-level", "WARNING", *SETTINGS).returncode == 0
    reference = _export(reference_url)
    site.reset_log()

    db_path = tmp_path / "store.sqlite3"
    journaled = _killed_with_pages_unstored(db_path, site, 10)
    stored = {urlsplit(r["url"]).path for r in export_records(f"sqlite:///{db_path}")}
    unstored = journaled - stored
    assert unstored, "no page was fetched and left unstored by the kill"
    site.reset_log()
    resumed = blogcrawl("crawl", site.base_url, "--db", f"sqlite:///{db_path}", "--log-level", "WARNING", *SETTINGS)
    assert resumed.returncode == 0, resumed.stderr[-3000:]

    fetched_again = sorted(unstored & set(_gets(site)))
    assert fetched_again == [], f"fetched again though journaled: {fetched_again}"
    assert "/robots.txt" not in _gets(site), "the resumed run read robots.txt again"
    assert not [p for p in _gets(site) if p.startswith("/private/")], "robots.txt as replayed was not obeyed"
    assert resumed.stats.get("pages/ignored", 0) > 0  # ... though the run met links there
    assert resumed.stats.get("journal/replayed/page", 0) >= len(unstored)
    assert _journal(db_path) == set()
    assert _export(f"sqlite:///{db_path}") == reference

    site.reset_log()
    again = blogcrawl("crawl", site.base_url, "--db", f"sqlite:///{db_path}", "--log-level", "WARNING", *SETTINGS)
    assert again.returncode == 0 and "/robots.txt" in _gets(site)  # a new run: robots.txt is read again
