"""Every field of ``extract`` over the dev pages, one JSON line per page, and a field-by-field diff of two dumps.

    python bench/extract_dump.py OUT.jsonl [--datasets DIR] [--only NAME] [--limit N]
    python bench/extract_dump.py --compare OLD.jsonl NEW.jsonl

For a change meant to keep extraction's output (a speed-up, a refactor): dump before, dump after,
compare. DIR defaults to ../shared/datasets relative to the repository; every ``*/pages/*.html.gz`` with
an entry in its folder's ``truth.json`` is read (1115 pages: both body benchmarks and the dates set),
each given its URL and one fixed fetch time, as the quality benches do. The dumped fields are
``Extracted.as_json()`` plus ``noindex`` and ``reason`` (``links``, ``render_hint`` and the
near-duplicate signature are the crawl worker's, not extraction's). ``--compare`` prints each page whose fields differ
(the field, old and new, long texts shortened around the first difference) and exits 1 when any
differs, 0 when none does, 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.extraction import extract  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

FETCHED_AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
DATASETS = REPO.parent / "shared" / "datasets"


def dev_pages(root: Path, only: str | None = None) -> Iterator[tuple[str, str, bytes]]:
    """(``dataset/key``, URL, page bytes) of every page with a truth entry, in a stable order."""
    for truth_file in sorted(root.glob("*/truth.json")):
        name = truth_file.parent.name
        if only and name != only:
            continue
        for key, case in sorted(json.loads(truth_file.read_text()).items()):
            path = truth_file.parent / case["file"]
            if path.exists():
                yield f"{name}/{key}", case["url"], gzip.decompress(path.read_bytes())


def fields(body: bytes, url: str) -> dict:
    result = extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED_AT))
    data = result.as_json()
    data.update(noindex=result.noindex, reason=result.reason)
    return data


def dump(out: Path, root: Path, only: str | None, limit: int) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for page, url, body in dev_pages(root, only):
            handle.write(json.dumps({"page": page, **fields(body, url)}, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
            if count == limit:
                break
    print(f"{count} pages -> {out}")
    return 0


def _load(path: Path) -> dict[str, dict]:
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row.pop("page"): row for row in rows}


def _shown(value: object, other: object) -> str:
    """A value for the diff; a long text shortened to the part around its first difference with ``other``."""
    if not isinstance(value, str) or len(value) <= 120:
        return json.dumps(value, ensure_ascii=False)
    other = other if isinstance(other, str) else ""
    at = next((i for i, (a, b) in enumerate(zip(value, other)) if a != b), min(len(value), len(other)))
    start = max(0, at - 40)
    return f"…{json.dumps(value[start:start + 100], ensure_ascii=False)}… (at {at}, {len(value)} chars)"


def compare(old_path: Path, new_path: Path) -> int:
    old, new = _load(old_path), _load(new_path)
    differing = 0
    for page in sorted(old.keys() | new.keys()):
        a, b = old.get(page), new.get(page)
        if a == b:
            continue
        differing += 1
        if a is None or b is None:
            print(f"{page}: only in {'new' if a is None else 'old'} dump")
            continue
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                print(f"{page} {key}:\n  old {_shown(a.get(key), b.get(key))}\n  new {_shown(b.get(key), a.get(key))}")
    print(f"{differing} of {len(old.keys() | new.keys())} pages differ")
    return 1 if differing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="OUT.jsonl, or OLD.jsonl NEW.jsonl with --compare")
    parser.add_argument("--compare", action="store_true", help="diff two dumps instead of dumping")
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--only", help="one dataset folder (e.g. dates-htmldate)")
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    try:
        if args.compare:
            if len(args.paths) != 2:
                parser.error("--compare takes two dumps")
            return compare(*args.paths)
        if len(args.paths) != 1:
            parser.error("give one output file")
        if not any(args.datasets.glob("*/truth.json")):
            print(f"error: no */truth.json under {args.datasets}", file=sys.stderr)
            return 2
        return dump(args.paths[0], args.datasets, args.only, args.limit)
    except (OSError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
