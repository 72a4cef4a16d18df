"""``blogcrawl fixture save URL [--name NAME] [--dir fixtures] [--force]``: record a golden case from the web.

Only http(s) URLs are fetched; the case is written to ``DIR/<site>/<name>/`` and nowhere else (a name is
one folder name: letters, digits, ``.``, ``_``, ``-``); an existing case is replaced only with ``--force``."""

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

from crawler.commands import CANTCREAT, FAILED, USAGE, CommandError
from crawler.extraction.cases import site_slug, write_case
from crawler.items import PageSnapshot

LOGGER = logging.getLogger(__name__)
USER_AGENT = "blogcrawl-fixture/0.1"
MAX_BYTES = 20 * 1024 * 1024


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("fixture", help="record extraction fixtures")
    actions = parser.add_subparsers(dest="fixture_action", required=True, metavar="ACTION")
    save = actions.add_parser("save", help="download URL and record page, meta and expected extraction")
    save.add_argument("url", metavar="URL", help="the page to record (http or https)")
    save.add_argument("--name", type=_name, help="case name: one folder name (default: from the URL path)")
    save.add_argument("--dir", default="fixtures", help="fixtures directory (default: fixtures/)")
    save.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="download timeout (default 30)")
    save.add_argument("--force", action="store_true", help="replace a case of that name if there is one")
    return parser


_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}")


def _name(value: str) -> str:
    """argparse type of ``--name``: a single folder name, so the case stays inside the fixtures folder."""
    if not _NAME.fullmatch(value) or value.strip(".") == "":
        raise argparse.ArgumentTypeError(f"a case name is one folder name (letters, digits, . _ -), not {value!r}")
    return value


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
    if urlsplit(args.url).scheme.lower() not in ("http", "https") or not urlsplit(args.url).hostname:
        raise CommandError(f"error: not an http(s) URL: {args.url}", USAGE)
    try:
        snapshot = download(args.url, args.timeout)
    except (URLError, OSError, ValueError) as err:
        print(f"blogcrawl fixture: cannot download {args.url}: {err}", file=sys.stderr)
        return FAILED
    if urlsplit(snapshot.url).scheme.lower() not in ("http", "https"):
        raise CommandError(f"error: {args.url} redirected to a non-http(s) URL: {snapshot.url}", USAGE)
    case = Path(args.dir) / site_slug(snapshot.url) / (args.name or case_name(snapshot.url))
    if case.exists() and not getattr(args, "force", False):
        raise CommandError(f"error: {case} exists; give --force to replace it, or another --name", CANTCREAT)
    try:
        expected = write_case(case, snapshot)
    except OSError as exc:
        raise CommandError(f"error: cannot write {case}: {exc.strerror or exc}", CANTCREAT) from None
    print(f"saved {case} (is_article={expected['is_article']}, title={expected['title']!r})")
    return 0
