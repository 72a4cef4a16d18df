"""Fuzz ``crawler.extraction.extract`` with hostile inputs and count what raises.

    python bench/fuzz_extract.py [--cases 10000] [--seed 1] [--workers N]

Cases (tests/fuzz_cases.py): random bytes, tag soup, and every bundled fixture page mangled (cut,
flipped bytes, dropped or duplicated tags, re-encoded, garbage spliced in), each with a random HTTP
charset. Prints the number of cases per kind, the failures per exception kind (must be 0), the errors
extraction caught itself (the page then counts as not an article) and the first failing case of each
kind (saved under --save-dir for replay).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import time
import traceback
import warnings
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from crawler.extraction import extract  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402
from fuzz_cases import case, real_pages  # noqa: E402

FETCHED = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)


def run_chunk(args: tuple[int, int, int]) -> tuple[Counter, Counter, Counter, dict]:
    seed, start, count = args
    logging.disable(logging.WARNING)  # extraction logs the errors it catches; they are counted instead
    warnings.simplefilter("ignore")
    pages = real_pages()
    kinds, failures, handled, examples = Counter(), Counter(), Counter(), {}
    for index in range(start, start + count):
        rng = random.Random(f"{seed}:{index}")
        kind, body, charset = case(rng, pages)
        kinds[kind] += 1
        try:
            result = extract(PageSnapshot(url="http://127.0.0.1:8000/2024/03/post/", body=body, fetched_at=FETCHED,
                                          http_charset=charset))
        except Exception as exc:  # what the fuzz run is looking for
            name = type(exc).__name__
            failures[name] += 1
            examples.setdefault(name, (index, kind, charset, body, traceback.format_exc(limit=6)))
            continue
        if (result.reason or "").startswith("error"):
            handled[result.reason] += 1
    return kinds, failures, handled, examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--save-dir", type=Path, default=Path("fuzz-failures"))
    args = parser.parse_args(argv)
    chunk = 250
    jobs = [(args.seed, start, min(chunk, args.cases - start)) for start in range(0, args.cases, chunk)]
    kinds, failures, handled, examples = Counter(), Counter(), Counter(), {}
    started = time.monotonic()
    with ProcessPoolExecutor(args.workers) as pool:
        for k, f, h, e in pool.map(run_chunk, jobs):
            kinds.update(k)
            failures.update(f)
            handled.update(h)
            for name, example in e.items():
                examples.setdefault(name, example)
    elapsed = time.monotonic() - started
    print(f"cases={sum(kinds.values())} ({', '.join(f'{k}={v}' for k, v in sorted(kinds.items()))}) "
          f"seed={args.seed} in {elapsed:.1f}s")
    print(f"failures={sum(failures.values())} {dict(failures) if failures else ''}".rstrip())
    print(f"errors caught inside extract (page not an article, reason 'error: ...'): {dict(handled) or 0}")
    for name, (index, kind, charset, body, trace) in examples.items():
        args.save_dir.mkdir(parents=True, exist_ok=True)
        path = args.save_dir / f"{name}-{index}.bin"
        path.write_bytes(body)
        print(f"--- {name}: case {index} ({kind}, charset={charset!r}) saved to {path}\n{trace}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
