"""End-to-end JavaScript rendering: crawl the bundled JavaScript-only blog (fixtures/jssite) in a real Chromium.

Skipped, with the reason shown, when no Chromium is installed; under CI (``CI=true``) a missing browser
fails instead. Crawls run in this process (``crawl_helpers.blogcrawl``), except those stopped by a
signal (a subprocess: the signal is the point). Either way the crawl's environment carries a marker,
so that the browser and driver processes it starts can be found in /proc, during the crawl and after it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from crawl_helpers import REPO, blogcrawl, export_records
from crawler.browser import system_chromium
from localsite import LocalSite, load_truth
from crawler.urls import canonicalize

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)

JSSITE = REPO / "fixtures" / "jssite"
MARKER = "BLOGCRAWL_TEST_CRAWL_ID"
MISSING = "Chromium is not installed: `apt-get install chromium` or `playwright install chromium` (or set BLOGCRAWL_BROWSER)"


def installed_chromium() -> str | None:
    configured = os.environ.get("BLOGCRAWL_BROWSER")
    if configured:
        return configured if Path(configured).is_file() else None
    if system_chromium():
        return system_chromium()
    browsers = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")
    found = sorted(browsers.glob("chromium*")) if browsers.is_dir() else []
    return str(found[0]) if found else None


@pytest.fixture(scope="module", autouse=True)
def chromium():
    found = installed_chromium()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{MISSING}; CI must run the browser tests (.ci/run installs it)")
        pytest.skip(MISSING)
    return found


@pytest.fixture(scope="module")
def jssite():
    with LocalSite(JSSITE) as site:
        yield site


@pytest.fixture(scope="module")
def truth():
    return load_truth(JSSITE)


# -- crawling, watching the processes the crawl starts --------------------------------------------------


@dataclass
class Crawl:
    returncode: int
    stderr: str
    seconds: float
    db_url: str = ""
    seen: set[str] = field(default_factory=set)  # names of the processes the crawl started (python excluded)
    left: list[tuple[int, str]] = field(default_factory=list)  # marked processes still alive after it exited

    @property
    def browser_ran(self) -> bool:
        return any("chrom" in name for name in self.seen)


def marked_processes(marker: str) -> list[tuple[int, str, str]]:
    """(pid, name, state) of every process whose environment carries ``marker``."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes():
                continue
            name = (entry / "comm").read_text().strip()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        found.append((int(entry.name), name, state))
    return found


BROWSER_PROCESSES = ("chrom", "node", "playwright", "headless")


def _alive(marker: str) -> list[tuple[int, str]]:
    """The browser and Playwright driver processes of a crawl that are still running (zombies are dead)."""
    return [
        (pid, name) for pid, name, state in marked_processes(marker)
        if state not in ("Z", "X") and any(part in name.lower() for part in BROWSER_PROCESSES)
    ]


def _settle(marker: str) -> list[tuple[int, str]]:
    """The crawl's browser processes still alive once it is over (after a moment to exit), then ends them."""
    left = _alive(marker)
    deadline = time.monotonic() + 5  # a browser gets a moment to exit after its driver
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _alive(marker)
    for pid, _, state in marked_processes(marker):  # whatever this crawl left (a SIGKILLed crawl's workers): ours to end
        if state not in ("Z", "X"):
            os.kill(pid, signal.SIGKILL)
    return left


def crawl(*args: str, timeout: float = 180) -> Crawl:
    """``blogcrawl crawl ARGS`` in this process, the processes it starts watched from a thread."""
    marker = uuid.uuid4().hex
    seen: set[str] = set()
    done = threading.Event()

    def watch():
        while not done.is_set():
            seen.update(name for _, name, _ in marked_processes(marker))
            done.wait(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        result = blogcrawl("crawl", *args, timeout=timeout, env={MARKER: marker})
    finally:
        done.set()
        watcher.join(10)
    seconds = time.monotonic() - started
    return Crawl(result.returncode, result.stderr, seconds, seen=seen, left=_settle(marker))


def crawl_process(*args: str, stop: int | None = None, held=None, timeout: float = 180) -> Crawl:
    """``blogcrawl crawl ARGS`` as a subprocess; with ``stop``, that signal is sent as soon as a browser process
    is up and ``held`` (a ``LocalSite.hold``) has a request waiting, which is then released."""
    marker = uuid.uuid4().hex
    env = {**os.environ, "PYTHONPATH": str(REPO), MARKER: marker}
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", *args], cwd=REPO, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    seen: set[str] = set()
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    signalled = False
    while proc.poll() is None:
        if time.monotonic() - started > timeout:
            proc.kill()
            pytest.fail(f"crawl still running after {timeout}s")
        names = {name for pid, name, _ in marked_processes(marker) if pid != proc.pid}
        seen |= names
        if stop is not None and not signalled and any("chrom" in n for n in names) and (held is None or held.arrived.is_set()):
            proc.send_signal(stop)
            signalled = True
            if held is not None:
                held.release()
        time.sleep(0.05)
    reader.join(10)
    seconds = time.monotonic() - started
    return Crawl(proc.returncode, "".join(chunks), seconds, seen=seen, left=_settle(marker))


def _db(tmp_path_factory, name: str) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp(name) / 'store.sqlite3'}"


def _text_of(records: list[dict]) -> dict[str, dict]:
    return {canonicalize(r["url"]): r for r in records}


# -- auto mode on the JavaScript blog ------------------------------------------------------------------


@pytest.fixture(scope="module")
def auto_crawl(tmp_path_factory, jssite):
    db_url = _db(tmp_path_factory, "js-auto")
    jssite.reset_log()
    result = crawl(jssite.base_url, "--db", db_url, "--log-level", "INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    result.db_url = db_url
    return result, export_records(db_url), list(jssite.requests)


def test_every_javascript_post_is_stored_with_its_text(auto_crawl, jssite, truth):
    _, records, _ = auto_crawl
    by_url = _text_of(records)
    assert set(by_url) == {canonicalize(jssite.url(p["url_path"])) for p in truth["posts"]}
    for post in truth["posts"]:
        record = by_url[canonicalize(jssite.url(post["url_path"]))]
        assert record["title"] == post["title"], post["url_path"]
        assert record["published"][:10] == post["published"][:10]
        lines = record["text"].splitlines()
        for paragraph in post["paragraphs"]:
            assert paragraph in lines, (post["url_path"], paragraph[:40])
        assert record["language"] == "ar"


def test_inline_json_api_and_teaser_posts_all_took_the_browser(auto_crawl):
    result, _, requests = auto_crawl
    paths = [unquote(path) for _, path, _ in requests]
    assert {"/api/posts/api-trains.json", "/api/posts/api-olive.json", "/api/posts/api-clinic.json",
            "/api/posts/teaser-solar.json"} <= set(paths)  # the browser ran the fetches
    for reason in ("shell:inline-data", "shell:mount", "teaser:js-notice"):
        assert f"'js/render/{reason}'" in result.stderr or "'js/render/remembered'" in result.stderr


def test_listings_stay_plain_http_and_are_not_stored(auto_crawl, jssite, truth):
    _, records, requests = auto_crawl
    stored = set(_text_of(records))
    for path in truth["listing_paths"]:
        assert canonicalize(jssite.url(path)) not in stored
    fetches = [unquote(p) for _, p, _ in requests]
    assert fetches.count("/page/2/") == 1 and fetches.count("/") == 1
    assert "/api/posts.json" not in fetches  # the listing app never ran: its <noscript> links were enough


def test_images_fonts_and_media_are_never_downloaded(auto_crawl, truth):
    _, _, requests = auto_crawl
    paths = [unquote(path) for _, path, _ in requests]
    assert "/static/app.css" in paths  # the page's styles load; what they point at does not
    assert not [p for p in paths if p.startswith(tuple(truth["blocked_paths"]))]


def test_no_browser_process_outlives_the_crawl(auto_crawl):
    result, _, _ = auto_crawl
    assert result.browser_ran, result.seen
    assert result.left == []


# -- no browser unless a page needs one ------------------------------------------------------------------


@pytest.fixture(scope="module")
def static_crawl(tmp_path_factory, site_en):
    """The server-rendered English blog in auto mode, with a browser path that does not exist."""
    db_url = _db(tmp_path_factory, "js-static")
    result = crawl(site_en.base_url, "--db", db_url, "--log-level", "INFO", "-s", "BLOGCRAWL_BROWSER=/nonexistent/chromium")
    return result, export_records(db_url) if result.returncode == 0 else []


def test_a_server_rendered_blog_never_starts_the_browser(static_crawl):
    result, records = static_crawl
    assert result.returncode == 0, result.stderr[-3000:]  # the missing browser was never needed
    assert len(records) == 3
    assert not result.seen, result.seen  # no driver, no browser
    assert "Launching browser" not in result.stderr and "js/render" not in result.stderr


def test_never_mode_for_a_site_keeps_it_plain_http(tmp_path_factory, jssite):
    db_url = _db(tmp_path_factory, "js-never")
    netloc = urlsplit(jssite.base_url).netloc
    result = crawl(jssite.base_url, "--db", db_url, "--log-level", "INFO", "-s", f'BLOGCRAWL_JS_SITES={{"{netloc}": "never"}}')
    assert result.returncode == 0, result.stderr[-3000:]
    assert not result.browser_ran and "Launching browser" not in result.stderr
    assert all(len(r["text"]) < 400 for r in export_records(db_url))  # shells: at most the teaser


def test_always_mode_renders_a_static_blog_to_the_same_articles(tmp_path_factory, site_en, static_crawl):
    _, static_records = static_crawl
    db_url = _db(tmp_path_factory, "js-always")
    result = crawl(site_en.base_url, "--db", db_url, "--js", "always", "--log-level", "INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.browser_ran and result.left == []
    assert "'js/render/always'" in result.stderr
    rendered = _text_of(export_records(db_url))
    static = _text_of(static_records)
    assert set(rendered) == set(static)
    for key, record in static.items():
        assert rendered[key]["title"] == record["title"]
        assert rendered[key]["text"] == record["text"]


# -- memory: a site that needed the browser is remembered by the next crawl -----------------------------


def test_the_next_crawl_remembers_that_the_site_needs_the_browser(auto_crawl, jssite):
    result, _, _ = auto_crawl
    site = urlsplit(jssite.base_url).netloc
    assert f"'js/needs_js_sites': '{site}'" in result.stderr
    again = crawl(jssite.base_url, "--db", result.db_url, "--log-level", "INFO")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"sites known to need JavaScript: {site}" in again.stderr
    assert f"'js/needs_js_sites': '{site}'" in again.stderr  # carried on to the run after


# -- failures ----------------------------------------------------------------------------------------------


def test_a_missing_browser_is_one_clear_error_when_a_page_needs_it(tmp_path_factory, jssite):
    db_url = _db(tmp_path_factory, "js-missing")
    result = crawl(jssite.base_url, "--db", db_url, "--log-level", "WARNING", "-s", "BLOGCRAWL_BROWSER=/nonexistent/chromium")
    assert result.returncode == 1
    errors = {line.split("ERROR: ", 1)[1] for line in result.stderr.splitlines() if " ERROR: " in line}
    assert len(errors) == 1, errors  # logged once (stderr may carry it in two log formats)
    (error,) = errors
    assert "/nonexistent/chromium" in error
    assert "apt-get install chromium" in error and "playwright install chromium" in error
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("did not finish: browser_missing")
    assert result.left == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_a_stopped_crawl_leaves_no_browser_behind(tmp_path_factory, jssite, stop):
    db_url = _db(tmp_path_factory, "js-stop")
    held = jssite.hold("/api/*")  # a render in flight (its page's fetch held by the server) when the signal comes
    try:
        result = crawl_process(jssite.base_url, "--db", db_url, "--log-level", "WARNING",
                               "-s", "BLOGCRAWL_EXTRACT_WORKERS=0", stop=stop, held=held, timeout=120)
    finally:
        held.release()
    assert held.arrived.is_set()
    assert result.browser_ran, result.seen
    assert result.returncode != 0
    assert result.left == [], result.left
