"""``blogcrawl replay [DIR]``: re-extract every golden case and show field diffs; exit 1 on any.

A folder that does not exist, a file, or a folder with no case in it is an error (exit 64): nothing
replayed never passes for success."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.commands import DATAERR, USAGE, CommandError
from crawler.extraction.cases import actual, diff, find_cases, load_expected


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("replay", help="re-extract the fixture cases and compare with their expected extraction")
    parser.add_argument("dir", nargs="?", default="fixtures", help="fixtures directory (default: fixtures/)")
    return parser


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        raise CommandError(f"error: {args.dir}: {'not a folder' if folder.exists() else 'no such folder'} (give a fixtures folder)", USAGE)
    cases = find_cases(folder)
    if not cases:
        raise CommandError(f"error: no fixture cases under {args.dir} (a case is a folder with page.html and expected.json)", USAGE)
    failed = 0
    for case in cases:
        try:
            changes = diff(load_expected(case), actual(case))
        except (OSError, EOFError, KeyError, ValueError) as exc:
            raise CommandError(f"error: cannot load the case {case}: {exc}", DATAERR) from None
        if changes:
            failed += 1
            print(f"MISMATCH {case}")
            print("\n".join(changes))
    print(f"replay: {len(cases) - failed}/{len(cases)} cases match, {failed} mismatched")
    sys.stdout.flush()
    return 1 if failed else 0
