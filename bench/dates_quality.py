"""Publication-day accuracy of blogcrawl against htmldate, on real pages (dates-htmldate dev half).

    python bench/dates_quality.py [DATASET_DIR] [--folds 5] [--show CLASS] [--no-htmldate]

DATASET_DIR defaults to ../shared/datasets/dates-htmldate relative to the repository. Each page is
decoded from its own bytes as the crawler does (crawler/extraction/decode.py) and given its URL. A
page is right when the extracted publication date, read in the offset the page states (no conversion
to UTC), falls on the labelled day; wrong when it falls on another day; none when no date is found.
Pages labelled with no date are right when nothing is found.

Figures: right / wrong / none shares for blogcrawl (the full extractor, ``extract``) and for htmldate
``find_date(html, url=url, original_date=True)`` in the same run; per collection, per page language
(the project's language module, i.e. ``Extracted.language``), per blogcrawl ``date_source``; the
median CPU milliseconds per page of date finding (blogcrawl: ``extract_dates`` on the parsed page;
htmldate: ``find_date`` on the decoded text, its own parse included), measured with
time.process_time. With ``--folds K`` the pages are split into K folds by site (host) and each fold's
right share is printed, with the mean and the worst fold.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.extraction import extract  # noqa: E402
from crawler.extraction import _languages  # noqa: E402
from crawler.extraction.dates import extract_dates  # noqa: E402
from crawler.extraction.decode import NotHtml, decode_html  # noqa: E402
from crawler.extraction.document import parse_html  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

FETCHED_AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(?:https?://)?", re.I)


def site_of(url: str) -> str:
    """The page's host (an archived page's original host), without 'www.'."""
    host = urlsplit(_ARCHIVED.sub("http://", url)).hostname or ""
    return host.removeprefix("www.")


def fold_of(url: str, folds: int) -> int:
    return int(hashlib.sha1(site_of(url).encode()).hexdigest(), 16) % folds


def outcome(found: date | None, truth: str | None) -> str:
    if truth is None:
        return "right" if found is None else "wrong"
    if found is None:
        return "none"
    return "right" if found.isoformat() == truth else "wrong"


def blogcrawl_page(body: bytes, url: str) -> dict:
    result = extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED_AT))
    found = result.published.date() if result.published else None  # the day in the page's own offset
    ms = None
    try:
        doc = parse_html(decode_html(body), url)
    except NotHtml:
        doc = None
    if doc is not None:
        languages = _languages(result.language)
        start = time.process_time()
        extract_dates(doc, FETCHED_AT, languages)
        ms = (time.process_time() - start) * 1000
    return {"found": found, "source": result.date_source or "-", "language": result.language or "-", "ms": ms,
            "value": result.published.isoformat() if result.published else None}


def htmldate_page(body: bytes, url: str, **options) -> dict:
    from htmldate import find_date

    try:
        text = decode_html(body)
    except NotHtml:
        return {"found": None, "ms": None}
    start = time.process_time()
    try:
        value = find_date(text, url=url, original_date=True, **options)
    except Exception:  # noqa: BLE001 - a library failure is "no date" for the metric
        value = None
    ms = (time.process_time() - start) * 1000
    return {"found": date.fromisoformat(value) if value else None, "ms": ms}


def shares(outcomes: list[str]) -> str:
    n = len(outcomes) or 1
    c = Counter(outcomes)
    return f"right {c['right'] / n:6.1%}  wrong {c['wrong'] / n:6.1%}  none {c['none'] / n:6.1%}"


def table(title: str, groups: dict[str, list[dict]], systems: list[str]) -> None:
    print(f"\n{title}")
    for name, rows in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        cells = "   ".join(f"{s}: {shares([r[s] for r in rows])}" for s in systems)
        print(f"  {name:<14} n={len(rows):<4} {cells}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(REPO.parent / "shared" / "datasets" / "dates-htmldate"))
    parser.add_argument("--folds", type=int, default=0, help="split pages into K folds by site")
    parser.add_argument("--no-htmldate", action="store_true", help="skip htmldate (faster iteration)")
    parser.add_argument("--show", choices=("wrong", "none", "both"), help="list blogcrawl's failing pages")
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    root = Path(args.dataset)
    try:
        truth = json.loads((root / "truth.json").read_text())
    except (OSError, ValueError) as err:
        print(f"error: cannot read {root / 'truth.json'}: {err}", file=sys.stderr)
        return 2
    systems = ["blogcrawl"] + ([] if args.no_htmldate else ["htmldate"])
    rows = []
    for key, case in sorted(truth.items())[: args.limit or None]:
        body = gzip.decompress((root / case["file"]).read_bytes())
        ours = blogcrawl_page(body, case["url"])
        row = {"key": key, "url": case["url"], "truth": case["published"], "collection": case["collection"],
               "language": ours["language"], "source": ours["source"], "value": ours["value"],
               "blogcrawl": outcome(ours["found"], case["published"]), "ms_blogcrawl": ours["ms"]}
        if "htmldate" in systems:
            theirs = htmldate_page(body, case["url"])
            row.update(htmldate=outcome(theirs["found"], case["published"]), ms_htmldate=theirs["ms"],
                       htmldate_value=theirs["found"].isoformat() if theirs["found"] else None)
        rows.append(row)
    report(rows, systems, args)
    return 0


def report(rows: list[dict], systems: list[str], args: argparse.Namespace) -> None:
    print(f"dates-htmldate dev: {len(rows)} pages, fetch time {FETCHED_AT:%Y-%m-%d}")
    for s in systems:
        times = [r[f"ms_{s}"] for r in rows if r[f"ms_{s}"] is not None]
        print(f"  {s:<10} {shares([r[s] for r in rows])}   median {statistics.median(times):.2f} ms/page CPU "
              f"(p90 {statistics.quantiles(times, n=10)[-1]:.2f})")
    by = defaultdict(lambda: defaultdict(list))
    for r in rows:
        by["collection"][r["collection"]].append(r)
        by["language"][r["language"]].append(r)
        by["date_source (blogcrawl)"][r["source"]].append(r)
    for title, groups in by.items():
        table(f"per {title}", groups, systems)
    if args.folds:
        print(f"\n{args.folds} folds by site (right share)")
        for s in systems:
            per_fold = []
            for k in range(args.folds):
                fold = [r[s] for r in rows if fold_of(r["url"], args.folds) == k]
                per_fold.append(sum(o == "right" for o in fold) / (len(fold) or 1))
            cells = " ".join(f"{v:.1%}" for v in per_fold)
            print(f"  {s:<10} dev {sum(r[s] == 'right' for r in rows) / len(rows):.1%}   folds {cells}   "
                  f"mean {statistics.mean(per_fold):.1%}  worst {min(per_fold):.1%}")
    if "htmldate" in systems:
        both = Counter((r["blogcrawl"], r["htmldate"]) for r in rows)
        print("\nblogcrawl vs htmldate (pages): " + ", ".join(f"{a}/{b} {n}" for (a, b), n in sorted(both.items())))
    if args.show:
        wanted = {"wrong", "none"} if args.show == "both" else {args.show}
        print()
        for r in rows:
            if r["blogcrawl"] in wanted:
                print(f"{r['blogcrawl']:<5} {r['key']} truth {r['truth']} got {r['value']} [{r['source']}] "
                      f"htmldate {r.get('htmldate_value')} {r['url'][:110]}")


if __name__ == "__main__":
    sys.exit(main())
