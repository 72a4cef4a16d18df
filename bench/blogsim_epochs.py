"""Incremental crawling on blogsim: crawl epoch 0, then the same store against epoch 1.

    python bench/blogsim_epochs.py [--shared ../shared] [--port 8500] [--scale 1]

Prints the requests each crawl made (from blogsim's ``/__stats``), their ratio (issue: <= 15%), and the
scorer's SUMMARY line of the export after each crawl against that epoch's ground truth (gone posts must
be left out, edited posts updated, new posts added).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.request import urlopen

from blogsim_crawl import crawl, serve

REPO = Path(__file__).resolve().parents[1]


def world(args, epoch: int) -> argparse.Namespace:
    return argparse.Namespace(port=args.port, scale=args.scale, epoch=epoch, slow_delay=None, bomb_mb=None,
                              oversize_mb=None, themes=None, single_port=False, first_ip=None)


def epoch_run(args, epoch: int, db_url: str, workdir: Path) -> tuple[int, str]:
    from blogsim_crawl import world_argv

    server, roots = serve(args.shared, world(args, epoch), workdir)
    try:
        code, _peak, wall = crawl(roots, db_url, [], workdir)
        stats = json.loads(urlopen(roots[0].rstrip("/") + "/__stats", timeout=30).read())
        export = workdir / f"export{epoch}.jsonl"
        subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--db", db_url, "-o", str(export)],
                       cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    truth = workdir / f"truth{epoch}.jsonl"
    subprocess.run([sys.executable, "-m", "blogsim", "truth", "-o", str(truth), *world_argv(world(args, epoch))],
                   cwd=args.shared, check=True, stderr=subprocess.DEVNULL)
    scored = subprocess.run([sys.executable, "-m", "blogsim", "score", "--truth", str(truth), "--got", str(export)],
                            cwd=args.shared, check=True, capture_output=True, text=True).stdout
    summary = next(line for line in scored.splitlines() if line.startswith("SUMMARY"))
    print(f"epoch {epoch}: exit {code}, {stats['total']} requests, {wall:.1f} s\n  {summary}", flush=True)
    return stats["total"], summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--port", type=int, default=8500)
    parser.add_argument("--scale", default="1")
    args = parser.parse_args(argv)
    args.shared = args.shared.resolve()
    with tempfile.TemporaryDirectory(prefix="blogsim-epochs-") as temp:
        workdir = Path(temp)
        db_url = f"sqlite:///{workdir / 'store.sqlite3'}"
        first, _ = epoch_run(args, 0, db_url, workdir)
        second, _ = epoch_run(args, 1, db_url, workdir)
    print(f"second crawl / first crawl requests: {second}/{first} = {second / first:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
