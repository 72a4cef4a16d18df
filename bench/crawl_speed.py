"""blogcrawl against a plain Scrapy spider on the blogsim web, in one run.

    python bench/crawl_speed.py [--scale 10] [--shared ../shared] [--port 8540]   (scales 1 to 30 and more)

Serves blogsim at ``--scale`` on loopback, crawls it with blogcrawl (into a temporary SQLite store) and
with bench/plain_spider.py (trafilatura.extract in the callback, following in-site links), and prints,
for each: wall time, requests served, requests/s, coverage (share of the ground truth's posts stored,
scored by ``blogsim score``) and peak RSS of its process tree, then the ratios, and the scorer's SUMMARY
line for blogcrawl (coverage must stay 1.000). Wall-clock figures only mean something on a quiet machine.
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

from blogsim_crawl import measured, serve

REPO = Path(__file__).resolve().parents[1]


def server_requests(root: str, reset: bool = False) -> int:
    url = root.rstrip("/") + "/__stats" + ("?reset=1" if reset else "")
    return json.loads(urlopen(url, timeout=30).read())["total"]


def score(shared: Path, truth: Path, got: Path) -> tuple[str, str]:
    """The scorer's output for an export, and its coverage (formatted)."""
    if not got.exists():
        return "SUMMARY (no export)", "-"
    out = subprocess.run([sys.executable, "-m", "blogsim", "score", "--truth", str(truth), "--got", str(got)],
                         cwd=shared, check=True, capture_output=True, text=True).stdout
    try:
        coverage = json.loads(out[: out.rindex("SUMMARY")]).get("coverage")
    except (ValueError, AttributeError):
        coverage = None
    return out, f"{coverage:.3f}" if isinstance(coverage, (int, float)) else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="10")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--port", type=int, default=8540)
    parser.add_argument("--workers", help="blogcrawl extraction workers (default: one per core)")
    args = parser.parse_args(argv)
    world = argparse.Namespace(port=args.port, scale=args.scale, slow_delay=None, bomb_mb=None, oversize_mb=None,
                               epoch=None, themes=None, single_port=False, first_ip=None)
    with tempfile.TemporaryDirectory(prefix="crawl-speed-") as temp:
        workdir = Path(temp)
        server, roots = serve(args.shared.resolve(), world, workdir)
        try:
            results = {}
            db_url = f"sqlite:///{workdir / 'store.sqlite3'}"
            blogcrawl = [sys.executable, "-m", "crawler.cli", "crawl", *roots, "--db", db_url, "--log-level", "WARNING"]
            if args.workers is not None:
                blogcrawl += ["-s", f"BLOGCRAWL_EXTRACT_WORKERS={args.workers}"]
            plain = [sys.executable, str(REPO / "bench" / "plain_spider.py"), str(workdir / "plain.jsonl"), *roots]
            for name, command in (("blogcrawl", blogcrawl), ("plain", plain)):
                server_requests(roots[0], reset=True)
                code, wall, peak = measured(command, workdir / f"{name}.log")
                pages = server_requests(roots[0])
                results[name] = (code, wall, peak, pages)
            export = workdir / "export.jsonl"
            subprocess.run([sys.executable, "-m", "crawler.cli", "export", "--db", db_url, "-o", str(export)],
                           cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        truth = workdir / "truth.jsonl"
        subprocess.run([sys.executable, "-m", "blogsim", "truth", "--port", str(args.port), "--scale", args.scale,
                        "-o", str(truth)], cwd=args.shared, check=True, stderr=subprocess.DEVNULL)
        scores = {name: score(args.shared, truth, got) for name, got in (("blogcrawl", export), ("plain", workdir / "plain.jsonl"))}
    print(f"blogsim scale {args.scale}, {len(roots)} sites, {os.cpu_count()} cores")
    print(f"{'crawler':<10} {'exit':>4} {'wall s':>8} {'requests':>9} {'requests/s':>10} {'coverage':>8} {'peak RSS MiB':>13}")
    for name, (code, wall, peak, pages) in results.items():
        coverage = scores[name][1]
        print(f"{name:<10} {code:>4} {wall:>8.1f} {pages:>9} {pages / wall:>10.1f} {coverage:>8} {peak / 2**20:>13.0f}")
    scored = scores["blogcrawl"][0]
    (_, bc_wall, bc_peak, _), (_, pl_wall, pl_peak, _) = results["blogcrawl"], results["plain"]
    print(f"speed-up (plain wall / blogcrawl wall): {pl_wall / bc_wall:.2f}x; "
          f"memory (blogcrawl / plain peak): {bc_peak / pl_peak:.2f}")
    print("blogcrawl " + next(line for line in scored.splitlines() if line.startswith("SUMMARY")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
