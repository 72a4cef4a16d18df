"""Golden-file cases: ``<dir>/<site-slug>/<case>/{page.html.gz, meta.json, expected.json}``.

``meta.json`` holds ``url`` and ``fetched_at`` (ISO 8601), optionally ``http_charset``;
``expected.json`` holds ``Extracted.as_json()`` with sorted keys. Used by the replay and fixture
commands and by the parametrised test.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.items import PageSnapshot

from . import extract

PAGE, META, EXPECTED = "page.html.gz", "meta.json", "expected.json"


def find_cases(root: Path) -> list[Path]:
    """Every case folder under ``root`` (folders holding a page and an expected file), sorted."""
    return sorted(p.parent for p in Path(root).glob(f"*/*/{EXPECTED}") if (p.parent / PAGE).exists())


def load_snapshot(case: Path) -> PageSnapshot:
    meta = json.loads((case / META).read_text(encoding="utf-8"))
    return PageSnapshot(
        url=meta["url"],
        body=gzip.decompress((case / PAGE).read_bytes()),
        fetched_at=datetime.fromisoformat(meta["fetched_at"]),
        http_charset=meta.get("http_charset"),
    )


def load_expected(case: Path) -> dict[str, Any]:
    return json.loads((case / EXPECTED).read_text(encoding="utf-8"))


def actual(case: Path) -> dict[str, Any]:
    """What extraction gives for the case now."""
    return extract(load_snapshot(case)).as_json()


def diff(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Human-readable field differences (empty when equal)."""
    out = []
    for key in sorted(set(expected) | set(got)):
        if expected.get(key) != got.get(key):
            out.append(f"  {key}:\n    expected: {expected.get(key)!r}\n    got:      {got.get(key)!r}")
    return out


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def site_slug(url: str) -> str:
    """A folder name for the URL's host: ``www.example.com:8080`` -> ``example-com-8080``."""
    netloc = (urlsplit(url).netloc or "local").lower().removeprefix("www.")
    return re.sub(r"[^a-z0-9]+", "-", netloc).strip("-") or "local"


def write_case(case: Path, snapshot: PageSnapshot) -> dict[str, Any]:
    """Record a case from a snapshot; expected.json is the current extraction."""
    case.mkdir(parents=True, exist_ok=True)
    (case / PAGE).write_bytes(gzip.compress(snapshot.body, mtime=0))
    meta = {"url": snapshot.url, "fetched_at": snapshot.fetched_at.isoformat()}
    if snapshot.http_charset:
        meta["http_charset"] = snapshot.http_charset
    (case / META).write_text(dump_json(meta), encoding="utf-8")
    expected = extract(snapshot).as_json()
    (case / EXPECTED).write_text(dump_json(expected), encoding="utf-8")
    return expected
