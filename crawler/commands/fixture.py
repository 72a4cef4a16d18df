"""``blogcrawl fixture save URL [--name NAME] [--dir fixtures]``: record a golden case from the web."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import urllib.request
from datetime import datetime, timezone
from email.message import Message
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

from crawler.extraction.cases import site_slug, write_case
from crawler.items import PageSnapshot

LOGGER = logging.getLogger(__name__)
USER_AGENT = "blogcrawl-fixture/0.1"
MAX_BYTES = 20 * 1024 * 1024


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("fixture", help="record extraction fixtures")
    actions = parser.add_subparsers(dest="fixture_action", required=True, metavar="ACTION")
    save = actions.add_parser("save", help="download URL and record page, meta and expected extraction")
    save.add_argument("url")
    save.add_argument("--name", help="case name (default: from the URL path)")
    save.add_argument("--dir", default="fixtures", help="fixtures directory (default: fixtures/)")
    save.add_argument("--timeout", type=float, default=30.0)
    return parser


def case_name(url: str) -> str:
    """A folder name from the last path segment of the URL."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    name = re.sub(r"[^A-Za-z0-9]+", "-", segments[-1] if segments else "home").strip("-").lower()
    return name[:60] or "page"


def download(url: str, timeout: float) -> PageSnapshot:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_BYTES)
        headers: Message = response.headers
        final = response.geturl()
    return PageSnapshot(
        url=final,
        body=body,
        fetched_at=datetime.now(timezone.utc).replace(microsecond=0),
        http_charset=headers.get_content_charset(),
        requested_url=url,
    )


def run(args: argparse.Namespace) -> int:
    try:
        snapshot = download(args.url, args.timeout)
    except (URLError, OSError, ValueError) as err:
        print(f"blogcrawl fixture: cannot download {args.url}: {err}", file=sys.stderr)
        return 1
    case = Path(args.dir) / site_slug(snapshot.url) / (args.name or case_name(snapshot.url))
    expected = write_case(case, snapshot)
    print(f"saved {case} (is_article={expected['is_article']}, title={expected['title']!r})")
    return 0
