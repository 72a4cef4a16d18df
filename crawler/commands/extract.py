"""``blogcrawl extract PATH... [--url URL] [--fetched-at ISO8601] [--explain]``: one JSON line per page file
(``--explain``: first the removed text blocks, one ``[reason] text`` line each).

``-`` reads one page from standard input (``curl -s URL | blogcrawl extract - --url URL``). A file that
cannot be read is reported on one line and the others are still extracted; the exit code is then 64."""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path

from crawler.commands import USAGE
from crawler.extraction import extract
from crawler.extraction.explain import explain_page, format_removed
from crawler.items import PageSnapshot

LOGGER = logging.getLogger(__name__)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("extract", help="extract articles from saved .html / .html.gz files (- : standard input)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help=".html or .html.gz files; - reads a page from standard input")
    parser.add_argument("--url", help="the page URL (default: the file:// URL of each path; file:///dev/stdin for -)")
    parser.add_argument("--fetched-at", type=_aware, metavar="ISO8601", help="fetch time, ISO 8601 (default: now); relative dates count from it")
    parser.add_argument("--explain", action="store_true", help="also print each removed text block with the reason")
    return parser


def _aware(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_page(path: Path) -> bytes:
    data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" or data[:2] == b"\x1f\x8b" else data


def run(args: argparse.Namespace) -> int:
    fetched_at = args.fetched_at or datetime.now(timezone.utc)
    status = 0
    for name in args.paths:
        path = Path(name)
        try:
            body = read_page(path)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            print(f"blogcrawl extract: {name}: {err}", file=sys.stderr)
            status = USAGE
            continue
        url = args.url or ("file:///dev/stdin" if name == "-" else path.resolve().as_uri())
        snapshot = PageSnapshot(url=url, body=body, fetched_at=fetched_at)
        if args.explain:
            result, blocks = explain_page(snapshot)
            print("\n".join([f"{name}: removed blocks", *format_removed(blocks)]))
        else:
            result = extract(snapshot)
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=False)
    sys.stdout.flush()
    return status
