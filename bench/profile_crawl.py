"""A sampling profile (py-spy) of blogcrawl's main process crawling blogsim.

    python bench/profile_crawl.py [--scale 2] [--shared ../shared] [--port 8560] [--rate 100] [--top 25]

Serves blogsim at ``--scale`` on loopback, runs ``blogcrawl crawl`` under ``py-spy record`` (main process
only: the extraction workers are not sampled) into a temporary SQLite store, then prints the functions
with the largest share of the samples: inclusive (the function or anything it called is on the stack)
and self (the function itself is on top), per thread: the reactor's (main), the database writer's, others.
Shares are meaningful on a loaded machine; times are not.
Needs ``pip install py-spy``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from blogsim_crawl import serve

REPO = Path(__file__).resolve().parents[1]
IDLE = ("select (selectors.py)", "poll (selectors.py)", "wait (threading.py)")


def frame_name(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> ``func (module.py)`` (lines dropped: one row per function)."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    parts = path.split("/")
    short = "/".join(parts[-2:]) if parts[-1] in ("__init__.py", "store.py", "pipeline.py") else parts[-1]
    return f"{name} ({short})"


def thread_of(frames: list[str]) -> str:
    """Which thread a stack was sampled on: the reactor (main), the database writer, or another one."""
    if any(f.startswith("BatchWriter._run") for f in frames):
        return "writer"
    if frames and frames[0].startswith(("_run_module_as_main", "<module>")):
        return "main"
    return "other"


def shares(raw: Path) -> dict[str, tuple[int, Counter, Counter]]:
    """Per thread: samples, inclusive counts and self counts by function."""
    threads: dict[str, tuple[int, Counter, Counter]] = {}
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [frame_name(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        total, inclusive, own = threads.get(thread_of(frames), (0, Counter(), Counter()))
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
        threads[thread_of(frames)] = (total + n, inclusive, own)
    return threads


def report(threads: dict, top: int) -> None:
    every = sum(t[0] for t in threads.values()) or 1
    for name in ("main", "writer", "other"):
        if name not in threads:
            continue
        total, inclusive, own = threads[name]
        idle = sum(n for f, n in own.items() if f.endswith(IDLE))
        print(f"\n== {name} thread: {total} samples ({total / every:.0%} of all), {idle / max(total, 1):.0%} of them waiting")
        print(f"{'inclusive':>9}  {'self':>6}  function (share of this thread's samples)")
        for func, n in inclusive.most_common(top):
            print(f"{n / total:>9.1%}  {own.get(func, 0) / total:>6.1%}  {func}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="2")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--port", type=int, default=8560)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="write the raw py-spy stacks here")
    parser.add_argument("--raw", type=Path, help="only print the tables of stacks kept earlier (--keep)")
    args = parser.parse_args(argv)
    if args.raw:
        report(shares(args.raw), args.top)
        return 0
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    world = argparse.Namespace(port=args.port, scale=args.scale, slow_delay=None, bomb_mb=None, oversize_mb=None,
                               epoch=None, themes=None, single_port=False, first_ip=None)
    with tempfile.TemporaryDirectory(prefix="profile-crawl-") as temp:
        workdir = Path(temp)
        server, roots = serve(args.shared.resolve(), world, workdir)
        raw = workdir / "stacks.txt"
        try:
            db_url = f"sqlite:///{workdir / 'store.sqlite3'}"
            crawl = [sys.executable, "-m", "crawler.cli", "crawl", *roots, "--db", db_url, "--log-level", "WARNING"]
            env = {**os.environ, "PYTHONPATH": str(REPO)}
            with open(workdir / "crawl.log", "wb") as log:
                code = subprocess.call([spy, "record", "--format", "raw", "--rate", str(args.rate), "--nonblocking",
                                        "-o", str(raw), "--", *crawl], cwd=REPO, env=env, stdout=log,
                                       stderr=subprocess.STDOUT)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if args.keep:
            shutil.copy(raw, args.keep)
        threads = shares(raw)
    print(f"blogsim scale {args.scale}: crawl exit {code}")
    report(threads, args.top)
    return code


if __name__ == "__main__":
    sys.exit(main())
