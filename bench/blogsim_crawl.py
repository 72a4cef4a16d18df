"""Crawl the whole blogsim web (faults included) and score it: coverage, text, junk, forbidden requests,
peak memory and wall time.

    python bench/blogsim_crawl.py [--shared DIR] [--port 8490] [--keep DIR] [-s NAME=VALUE]... [world options]

Starts ``python3 -m blogsim serve`` from DIR (default ../shared next to the repository) on its own
port, crawls every site it serves with ``blogcrawl crawl`` into a temporary SQLite store, exports,
fetches ``/__stats`` and runs ``python3 -m blogsim score``. Prints the scorer's SUMMARY line, the
fault posts (each must be stored with its text), the crawl's peak RSS (the process and its children,
sampled every 50 ms from /proc) and the wall time. World options (``--scale``, ``--slow-delay``,
``--bomb-mb``, ``--oversize-mb``, ``--epoch``, ``--themes``) go to both ``serve`` and ``truth``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.request import urlopen

REPO = Path(__file__).resolve().parents[1]
WORLD_OPTIONS = ("scale", "slow_delay", "bomb_mb", "oversize_mb", "epoch", "themes", "single_port", "first_ip")


def world_argv(args) -> list[str]:
    argv = ["--port", str(args.port)]
    for name in WORLD_OPTIONS:
        value = getattr(args, name)
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return argv


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


class PeakRss(threading.Thread):
    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak, self.done = pid, interval, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.done.wait(self.interval)


def serve(shared: Path, args, workdir: Path) -> tuple[subprocess.Popen, list[str]]:
    ready = workdir / "blogsim.ready"
    server = subprocess.Popen(
        [sys.executable, "-m", "blogsim", "serve", "--ready-file", str(ready), *world_argv(args)],
        cwd=shared, stdout=subprocess.DEVNULL, stderr=open(workdir / "blogsim.log", "wb"),
    )
    deadline = time.monotonic() + 120
    while not ready.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"blogsim did not start; see {workdir / 'blogsim.log'}")
        time.sleep(0.1)
    time.sleep(0.1)
    roots = [line.split()[0] for line in ready.read_text().splitlines() if line.strip()]
    return server, roots


def measured(argv: list[str], log: Path) -> tuple[int, float, int]:
    """Runs a command from the checkout; returns its exit code, wall seconds and peak RSS of its process tree."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = PeakRss(process.pid)
        sampler.start()
        code = process.wait()
        sampler.done.set()
        sampler.join()
    return code, time.monotonic() - started, sampler.peak


def crawl(roots: list[str], db_url: str, settings: list[str], workdir: Path) -> tuple[int, int, float]:
    argv = [sys.executable, "-m", "crawler.cli", "crawl", *roots, "--db", db_url, "--log-level", "INFO"]
    for pair in settings:
        argv += ["-s", pair]
    code, wall, peak = measured(argv, workdir / "crawl.log")
    return code, peak, wall


def shingles(text: str, n: int = 4) -> Counter:
    words = text.split()
    return Counter(tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1)))


def text_f1(got: str, want: str) -> float:
    a, b = shingles(got), shingles(want)
    tp = sum((a & b).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(a.values()), tp / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def fault_report(truth_path: Path, export_path: Path) -> list[str]:
    """One line per post that carries a fault: stored or not, and how close its text is."""
    from urllib.parse import unquote

    def key(url: str) -> str:
        return unquote(url).rstrip("/").lower()

    got = {}
    for line in export_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        got[key(record["url"])] = record
    lines = []
    for line in truth_path.read_text(encoding="utf-8").splitlines():
        post = json.loads(line)
        if not post.get("fault"):
            continue
        record = got.get(key(post["url"]))
        if record is None:
            lines.append(f"  MISSING {post['fault']:<13} {unquote(post['url'])}")
            continue
        f1 = text_f1(record["text"], post["text"])
        title_ok = " ".join((record.get("title") or "").split()) == " ".join(post["title"].split())
        lines.append(f"  {'ok' if f1 >= 0.9 and title_ok else 'BAD':<7} {post['fault']:<13} text_f1={f1:.3f} "
                     f"title={'ok' if title_ok else 'wrong'} {unquote(post['url'])}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="folder holding blogsim/")
    parser.add_argument("--port", type=int, default=8490)
    parser.add_argument("--keep", type=Path, help="keep the store, export, stats and logs in this folder")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a crawl setting")
    for name in WORLD_OPTIONS:
        flag = "--" + name.replace("_", "-")
        if name == "single_port":
            parser.add_argument(flag, action="store_true")
        else:
            parser.add_argument(flag)
    args = parser.parse_args(argv)

    temp = None if args.keep else tempfile.TemporaryDirectory(prefix="blogsim-bench-")
    workdir = args.keep or Path(temp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    server, roots = serve(args.shared.resolve(), args, workdir)
    try:
        db_url = f"sqlite:///{workdir / 'store.sqlite3'}"
        code, peak, wall = crawl(roots, db_url, args.set, workdir)
        export = workdir / "export.jsonl"
        subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--db", db_url, "-o", str(export)],
                       cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
        stats = workdir / "stats.json"
        stats.write_bytes(urlopen(roots[0].rstrip("/") + "/__stats", timeout=30).read())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    truth = workdir / "truth.jsonl"
    subprocess.run([sys.executable, "-m", "blogsim", "truth", "-o", str(truth), *world_argv(args)],
                   cwd=args.shared, check=True, stderr=subprocess.DEVNULL)
    scored = subprocess.run(
        [sys.executable, "-m", "blogsim", "score", "--truth", str(truth), "--got", str(export), "--stats", str(stats)],
        cwd=args.shared, check=True, capture_output=True, text=True,
    )
    (workdir / "score.json").write_text(scored.stdout)
    summary = next(line for line in scored.stdout.splitlines() if line.startswith("SUMMARY"))
    report = json.loads(scored.stdout[: scored.stdout.rindex("SUMMARY")])
    print(f"crawl exit code {code}; {len(roots)} sites; files in {workdir if args.keep else '(deleted)'}")
    print("fault posts:")
    print("\n".join(fault_report(truth, export)))
    print(f"non_articles_stored={report.get('non_articles_stored')} forbidden_requests={report.get('forbidden_requests')} "
          f"missed={len(report.get('missed') or [])}")
    print(summary)
    print(f"peak RSS {peak / 2**20:.0f} MiB (crawl process tree); wall {wall:.1f} s")
    if temp is not None:
        temp.cleanup()
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
