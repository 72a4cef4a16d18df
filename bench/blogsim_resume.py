"""kill -9 twice, then resume, on the blogsim web: requests against an uninterrupted crawl, same export.

    python bench/blogsim_resume.py [--shared DIR] [--port 8492] [-s NAME=VALUE]... [world options]

Serves blogsim (``bench/blogsim_crawl.serve``), crawls it once uninterrupted (the reference), then crawls
it into a new store killed with SIGKILL (process group) when the store holds a third, then two thirds of
the reference's articles, and resumes to the end. Prints the requests blogsim counted (``/__stats``) for
each, their ratio (issue 17: at most 1.15), and whether the exports agree (url, content_hash). The kill
points are store states, not times; what a kill loses still depends on what was in flight. Not a timing
benchmark: run it anywhere.

Measured 2026-12-02 (scale 1, 389 requests uninterrupted): 1.67x with Scrapy's 5 MB scraper slot (loaded
machine), the excess being post pages fetched but not yet stored at each kill, not archives; 1.046x (407
requests) with the 400 kB slot that crawler/settings.py now sets (quiet machine). Same export every time.
The figure varies from run to run with what is in flight at each kill: later on 2026-12-02 (no other work running)
four runs gave 1.188x, 1.162x and 1.049x on this code and 1.134x on the code before that day's work (b3acd66).
The excess was post pages fetched and not yet stored at a kill, and each resumed run's robots.txt re-reads
(1.190x on 550fdf8). With the response journal (crawler/middlewares/journal.py: such pages, and robots.txt,
answered from the store) four runs gave 1.051x, 1.057x, 1.013x and 1.031x (2026-12-02, request counts, loaded
machine), same export each time; what is left is pages still downloading at each kill.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from blogsim_crawl import REPO, WORLD_OPTIONS, serve

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _argv(roots, db_url, settings) -> list[str]:
    argv = [sys.executable, "-m", "crawler.cli", "crawl", *roots, "--db", db_url, "--log-level", "WARNING"]
    for pair in settings:
        argv += ["-s", pair]
    return argv


def _stats(root: str, reset: bool = False) -> dict:
    """blogsim's request counters (then reset to zero, with ``reset``)."""
    url = root.rstrip("/") + "/__stats"
    snapshot = json.loads(urlopen(url, timeout=30).read())
    if reset:
        urlopen(url + "?reset=1", timeout=30).read()
    return snapshot


def _stored(path: Path) -> int:
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _killed_at(roots, db_path: Path, settings, articles: int) -> None:
    proc = subprocess.Popen(_argv(roots, f"sqlite:///{db_path}", settings), cwd=REPO, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    while proc.poll() is None and _stored(db_path) < articles:
        time.sleep(0.05)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _export(db_url: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--db", db_url], cwd=REPO, env=ENV,
                         capture_output=True, text=True, check=True).stdout
    return {r["url"]: r["content_hash"] for r in map(json.loads, out.splitlines())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding blogsim/")
    parser.add_argument("--port", type=int, default=8492)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a crawl setting")
    for name in WORLD_OPTIONS:
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, action="store_true") if name == "single_port" else parser.add_argument(flag)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="blogsim-resume-") as temp:
        workdir = Path(temp)
        server, roots = serve(args.shared.resolve(), args, workdir)
        try:
            _stats(roots[0], reset=True)
            reference_url = f"sqlite:///{workdir / 'reference.sqlite3'}"
            subprocess.run(_argv(roots, reference_url, args.set), cwd=REPO, env=ENV, capture_output=True, check=False)
            first = _stats(roots[0], reset=True)
            uninterrupted = first["total"]
            reference = _export(reference_url)
            db_path = workdir / "store.sqlite3"
            for share in (1 / 3, 2 / 3):
                _killed_at(roots, db_path, args.set, int(len(reference) * share))
                print(f"killed at {_stored(db_path)} articles stored")
            resumed = subprocess.run(_argv(roots, f"sqlite:///{db_path}", args.set), cwd=REPO, env=ENV,
                                     capture_output=True, text=True)
            last = _stats(roots[0])
            total = last["total"]
            got = _export(f"sqlite:///{db_path}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    same = got == reference
    print(f"uninterrupted: {uninterrupted} requests, {len(reference)} articles")
    print(f"killed twice + resumed: {total} requests ({total / uninterrupted:.3f}x), {len(got)} articles, "
          f"resume exit {resumed.returncode}, same export: {same}")
    extra = {p: n - first["by_path"].get(p, 0) for p, n in last["by_path"].items() if n > first["by_path"].get(p, 0)}
    print(f"  fetched more often than uninterrupted: {len(extra)} paths, e.g. "
          + ", ".join(f"{p} +{n}" for p, n in sorted(extra.items(), key=lambda kv: -kv[1])[:12]))
    if not same:
        print(f"  only in reference: {len(set(reference) - set(got))}, only resumed: {len(set(got) - set(reference))}, "
              f"different hash: {sum(1 for u in set(got) & set(reference) if got[u] != reference[u])}")
    return 0 if same and total <= 1.15 * uninterrupted else 1


if __name__ == "__main__":
    sys.exit(main())
