"""Where ``extract`` spends its CPU on the dev pages: shares of each stage and call counts (cProfile).

    python bench/profile_extract.py [--datasets DIR] [--only NAME] [--limit N] [--top N] [--save FILE]

Runs ``extract`` once over the pages untimed (one-time loads: the language model, date-language
data), then once under cProfile. Prints each stage's share of the profiled total (cumulative time of
the stage's function; stages nest, so shares do not add up to 100%), the number of calls of the costly
helpers per page (a count, meaningful on a loaded machine, unlike milliseconds), and the top functions
by own time. Shares are stable under load; absolute times are not, and are not printed.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import pstats
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.extract_dump import DATASETS, FETCHED_AT, dev_pages  # noqa: E402
from crawler.extraction import extract  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

# (label, file suffix, function name): cumulative time of that function is the stage's cost.
STAGES = (
    ("extract (all)", "crawler/extraction/__init__.py", "_extract"),
    ("decode", "crawler/extraction/decode.py", "decode_page"),
    ("parse + meta + JSON-LD", "crawler/extraction/document.py", "parse_html"),
    ("canonical", "crawler/extraction/canonical.py", "canonical_url"),
    ("sitename", "crawler/extraction/sitename.py", "extract_sitename"),
    ("title", "crawler/extraction/title.py", "extract_title"),
    ("body (all)", "crawler/extraction/body.py", "extract_body"),
    ("  deepcopy of the tree", "copy.py", "deepcopy"),
    ("  clean_tree", "crawler/extraction/clean.py", "clean_tree"),
    ("  trafilatura bare_extraction", "trafilatura/core.py", "bare_extraction"),
    ("  filter_lines", "crawler/extraction/lines.py", "filter_lines"),
    ("  lead", "crawler/extraction/lead.py", "with_lead"),
    ("language", "crawler/extraction/language.py", "extract_language"),
    ("dates (all)", "crawler/dates/locate.py", "extract_dates"),
    ("  find_headline", "crawler/dates/locate.py", "find_headline"),
    ("  headline_window", "crawler/dates/locate.py", "headline_window"),
    ("  parse_date", "crawler/dates/parse.py", "parse_date"),
    ("  htmldate fallback", "crawler/dates/locate.py", "_from_htmldate"),
    ("  labelled", "crawler/dates/locate.py", "_labelled"),
    ("classify", "crawler/extraction/classify.py", "classify"),
    ("author", "crawler/extraction/author.py", "extract_author"),
    ("trafilatura metadata guesses", "crawler/extraction/fallbacks.py", "_meta"),
)
# (label, file suffix, function name): how often it runs.
COUNTED = (
    ("parse_html", "crawler/extraction/document.py", "parse_html"),
    ("deepcopy of a tree", "copy.py", "deepcopy"),
    ("parse_date", "crawler/dates/parse.py", "parse_date"),
    ("dateparser.parse", "dateparser/__init__.py", "parse"),
    ("DateDataParser.get_date_data", "dateparser/date.py", "get_date_data"),
    ("htmldate find_date", "htmldate/core.py", "find_date"),
    ("py3langid classify", "py3langid/langid.py", "classify"),
    ("find_headline", "crawler/dates/locate.py", "find_headline"),
    ("text_of", "crawler/extraction/document.py", "text_of"),
)  # lxml's own methods (xpath, iter, tostring) are C functions cProfile does not see


def _find(stats: dict, suffix: str, name: str) -> tuple[int, float]:
    """(calls, cumulative seconds) of one function, summed over matching entries."""
    calls, cumulative = 0, 0.0
    for (path, _line, func), (_cc, nc, _tt, ct, _callers) in stats.items():
        if func == name and (path == suffix or path.replace("\\", "/").endswith(suffix)):
            calls += nc
            cumulative += ct
    return calls, cumulative


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--only", help="one dataset folder (e.g. dates-htmldate)")
    parser.add_argument("--limit", type=int, default=0, help="first N pages only")
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time")
    parser.add_argument("--save", type=Path, help="write the raw profile (pstats) here")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    pages = [(url, body) for _page, url, body in dev_pages(args.datasets, args.only)][: args.limit or None]
    if not pages:
        print(f"error: no pages under {args.datasets}", file=sys.stderr)
        return 2
    snapshots = [PageSnapshot(url=url, body=body, fetched_at=FETCHED_AT) for url, body in pages]
    for snapshot in snapshots:  # warm-up: one-time loads are not a page's cost
        extract(snapshot)
    profile = cProfile.Profile()
    profile.enable()
    for snapshot in snapshots:
        extract(snapshot)
    profile.disable()
    if args.save:
        profile.dump_stats(str(args.save))
    stats = pstats.Stats(profile)
    raw = stats.stats  # type: ignore[attr-defined]
    _calls, total = _find(raw, *STAGES[0][1:])
    n = len(snapshots)
    print(f"{n} pages; shares of extract's profiled CPU (loaded-machine safe: ratios, not ms)")
    for label, suffix, name in STAGES:
        _c, cumulative = _find(raw, suffix, name)
        print(f"  {label:<32} {cumulative / total:6.1%}")
    print("calls per page")
    for label, suffix, name in COUNTED:
        calls, _ct = _find(raw, suffix, name)
        print(f"  {label:<32} {calls / n:8.2f}")
    print(f"top {args.top} by own time (share of extract)")
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[: args.top]
    for (path, line, func), (_cc, nc, tt, _ct, _callers) in rows:
        where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if path != "~" else ""
        print(f"  {tt / total:6.1%} {nc / n:9.1f}/page  {func[:60]} {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
