"""``blogcrawl replay [DIR]``: re-extract every golden case and show field diffs; exit 1 on any."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.extraction.cases import actual, diff, find_cases, load_expected


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("replay", help="re-extract the fixture cases and compare")
    parser.add_argument("dir", nargs="?", default="fixtures", help="fixtures directory (default: fixtures/)")
    return parser


def run(args: argparse.Namespace) -> int:
    cases = find_cases(Path(args.dir))
    failed = 0
    for case in cases:
        changes = diff(load_expected(case), actual(case))
        if changes:
            failed += 1
            print(f"MISMATCH {case}")
            print("\n".join(changes))
    print(f"replay: {len(cases) - failed}/{len(cases)} cases match, {failed} mismatched")
    if not cases:
        print(f"replay: no cases under {args.dir}", file=sys.stderr)
    return 1 if failed else 0
