"""A needless browser: a server-rendered site whose gallery pages look script-heavy (little text, a large
inline script) sends at most GIVE_UP of them to Chromium; once those renders gained nothing the others are
read as plain HTTP, and the browser's own requests are counted in the run and shown by ``blogcrawl runs``.

Real Chromium (marker ``services``): skipped with the reason when none is installed, unless CI=true."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from crawl_helpers import REPO, blogcrawl
from crawler.browser import system_chromium
from crawler.rendering import GIVE_UP
from localsite import LocalSite

pytestmark = [pytest.mark.slow, pytest.mark.services]

GALLERIES = 8
SCRIPT = "var gallery = [" + ",".join(f"{{id: {i}, w: {i * 3}, h: {i * 2}}}" for i in range(200)) + "];"


@pytest.fixture(scope="module", autouse=True)
def chromium():
    found = os.environ.get("BLOGCRAWL_BROWSER") or system_chromium()
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is not installed; CI must run the browser tests")
        pytest.skip("Chromium is not installed: `apt-get install chromium` (or set BLOGCRAWL_BROWSER)")


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def build(root: Path) -> None:
    links = "".join(f"<li><a href='/gallery-{i}/'>Gallery {i}</a></li>" for i in range(GALLERIES))
    _write(root, "/index.html", f"<html><head><title>Studio</title></head><body class='home'><ul>{links}</ul></body></html>")
    for i in range(GALLERIES):
        _write(root, f"/gallery-{i}/", (
            f"<html><head><title>Gallery {i}</title><link rel='stylesheet' href='/style.css'>"
            f"<script src='/app.js'></script></head><body class='page'><h1>Gallery {i}</h1>"
            f"<img src='/img/{i}.jpg'><script>{SCRIPT}</script></body></html>"))
    _write(root, "/style.css", "body { margin: 0 }")
    _write(root, "/app.js", "document.title = document.title;")
    _write(root, "/robots.txt", "User-agent: *\nAllow: /\n")


def test_renders_that_gain_nothing_stop_and_browser_traffic_is_counted(tmp_path):
    build(tmp_path / "site")
    db = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    with LocalSite(tmp_path / "site") as site:
        done = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", site.base_url, "--db", db, "--log-level", "WARNING"],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        paths = [unquote(p) for m, p, _ in site.requests if m == "GET"]
    (run,) = [json.loads(line) for line in blogcrawl("runs", "--db", db, "--json").stdout.splitlines()]
    assert 1 <= run["browser"]["renders"] <= GIVE_UP, run["browser"]
    assert run["browser"]["requests"] >= run["browser"]["renders"]  # each page's own requests, not only its navigation
    assert run["browser"]["blocked"] >= 1  # the gallery's image
    assert "/app.js" in paths and not any(p.startswith("/img/") for p in paths)
    for i in range(GALLERIES):  # every gallery read: rendered once, or fetched again as plain HTTP once
        assert 1 <= paths.count(f"/gallery-{i}/") <= 2, paths
    assert f"browser: {run['browser']['renders']} pages rendered" in blogcrawl("runs", "--db", db).stdout
