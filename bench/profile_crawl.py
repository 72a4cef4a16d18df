"""A sampling profile (py-spy) of blogcrawl's main process crawling blogsim.

    python bench/profile_crawl.py [--scale 2] [--shared ../shared] [--port 8560] [--rate 100] [--top 25]

Serves blogsim at ``--scale`` on loopback, runs ``blogcrawl crawl`` under ``py-spy record`` (main process
only: the extraction workers are not sampled) into a temporary SQLite store, then prints the functions
with the largest share of the samples: inclusive (the function or anything it called is on the stack)
and self (the function itself is on top). Shares are meaningful on a loaded machine; times are not.
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


def shares(raw: Path) -> tuple[int, Counter, Counter]:
    total, inclusive, own = 0, Counter(), Counter()
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [frame_name(f) for f in stack.split(";") if " (" in f]
        if not frames:
            continue
        total += n
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    return total, inclusive, own


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="2")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--port", type=int, default=8560)
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--keep", type=Path, help="write the raw py-spy stacks here")
    args = parser.parse_args(argv)
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
        total, inclusive, own = shares(raw)
    busy = total - sum(n for name, n in own.items() if name.endswith(IDLE))
    print(f"blogsim scale {args.scale}: crawl exit {code}, {total} samples of the main process "
          f"({busy / max(total, 1):.0%} not waiting in select)")
    print(f"{'inclusive':>9}  function")
    for name, n in inclusive.most_common(args.top):
        print(f"{n / total:>9.1%}  {name}")
    print(f"{'self':>9}  function")
    for name, n in own.most_common(args.top):
        print(f"{n / total:>9.1%}  {name}")
    return code


if __name__ == "__main__":
    sys.exit(main())
