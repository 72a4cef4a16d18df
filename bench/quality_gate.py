"""CI quality gate: extraction and date figures on a fixed subset of the dev data must stay above floors.

    python bench/quality_gate.py [--datasets DIR] [--update-floors] [--pick-pages]

The pages are a fixed list of keys per benchmark, committed in ``bench/quality_gate_pages.json`` (60
per benchmark, picked once by ``--pick-pages``: the first keys in SHA-1 order, so a subset spread over
the sites), scored with the benchmark scripts' own functions (``bench/extraction_quality.py``: the
article-extraction-benchmark and trafilatura-eval metrics; ``bench/dates_quality.py``: the
publication-day outcome). The floors are in ``bench/quality_floors.json``; a figure below its floor
fails the gate (exit 1) and names it. ``--update-floors`` writes the floors from this run, each one
``MARGIN`` under today's figure (rounded down): run it on main after a change that moved the figures
on purpose, and commit the file with the change.

DIR defaults to ``$BLOGCRAWL_DATASETS``, else ``../shared/datasets`` beside the repository (where CI
has its copy). A clone without the datasets skips the gate with the reason (exit 0), except under
``CI=true``, where a missing dataset fails it (exit 1). Extraction is a pure function of the page and
its fetch time (fixed here), so the figures do not depend on the machine.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PAGES_FILE = REPO / "bench" / "quality_gate_pages.json"
FLOORS_FILE = REPO / "bench" / "quality_floors.json"
PAGES_PER_BENCHMARK = 60
MARGIN = {"article-extraction-benchmark": 0.01, "trafilatura-eval": 0.01, "dates-htmldate": 0.02}  # ~1 page of 60
BENCHMARKS = tuple(MARGIN)


def default_datasets() -> Path:
    return Path(os.environ.get("BLOGCRAWL_DATASETS") or REPO.parent / "shared" / "datasets")


def load_pages(folder: Path, keys: list[str]) -> list[tuple[str, dict, bytes]]:
    """(key, truth record, page bytes) of the listed pages."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    missing = [k for k in keys if k not in truth]
    if missing:
        raise KeyError(f"{folder.name}: {len(missing)} gate pages are not in truth.json (first: {missing[0]})")
    return [(k, truth[k], gzip.decompress((folder / truth[k]["file"]).read_bytes())) for k in keys]


def extraction_figures(name: str, pages) -> dict[str, float]:
    import extraction_quality as quality

    texts = [quality.blogcrawl_text(body, (rec.get("url") or "").strip()) for _, rec, body in pages]
    scores, _ = quality.BENCHES[name](pages, texts)
    return {k: scores[k] for k in ("precision", "recall", "f1")}


def date_figures(pages) -> dict[str, float]:
    import dates_quality as quality

    outcomes = [quality.outcome(quality.blogcrawl_page(body, rec["url"])["found"], rec["published"])
                for _, rec, body in pages]
    n = len(outcomes) or 1
    return {"right": sum(o == "right" for o in outcomes) / n}


def figures(datasets: Path, keys: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    logging.disable(logging.WARNING)
    out = {}
    for name in BENCHMARKS:
        pages = load_pages(datasets / name, keys[name])
        out[name] = date_figures(pages) if name == "dates-htmldate" else extraction_figures(name, pages)
    return out


def pick_pages(datasets: Path) -> dict[str, list[str]]:
    """The first PAGES_PER_BENCHMARK keys of each benchmark in SHA-1 order (run once; the list is committed)."""
    picked = {}
    for name in BENCHMARKS:
        truth = json.loads((datasets / name / "truth.json").read_text(encoding="utf-8"))
        order = sorted(truth, key=lambda k: hashlib.sha1(k.encode()).hexdigest())
        picked[name] = sorted(order[:PAGES_PER_BENCHMARK])
    return picked


def floors_from(found: dict[str, dict[str, float]]) -> dict:
    floors = {name: {metric: math.floor((value - MARGIN[name]) * 1000) / 1000 for metric, value in metrics.items()}
              for name, metrics in found.items()}
    return {"_about": "python bench/quality_gate.py --update-floors writes this file: today's figures on the gate "
                      "pages minus MARGIN (bench/quality_gate.py)", **floors}


def failures(found: dict[str, dict[str, float]], floors: dict) -> list[str]:
    return [f"{name} {metric} {value:.4f} < floor {floors[name][metric]:.3f}"
            for name, metrics in found.items() for metric, value in metrics.items()
            if metric in floors.get(name, {}) and value < floors[name][metric]]


def _missing_datasets(datasets: Path) -> list[str]:
    return [name for name in BENCHMARKS if not (datasets / name / "truth.json").is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=default_datasets(), help="folder of the benchmark folders")
    parser.add_argument("--update-floors", action="store_true", help="write the floors from this run, then pass")
    parser.add_argument("--pick-pages", action="store_true", help="(re)write the committed list of gate pages")
    args = parser.parse_args(argv)

    missing = _missing_datasets(args.datasets)
    if missing:
        reason = f"quality gate: no dataset {', '.join(missing)} under {args.datasets}"
        if os.environ.get("CI") == "true":
            print(f"{reason} (CI=true: the datasets must be there)", file=sys.stderr)
            return 1
        print(f"{reason}: skipped (set BLOGCRAWL_DATASETS or use --datasets)", file=sys.stderr)
        return 0
    if args.pick_pages:
        PAGES_FILE.write_text(json.dumps(pick_pages(args.datasets), indent=1) + "\n", encoding="utf-8")
    keys = json.loads(PAGES_FILE.read_text(encoding="utf-8"))
    found = figures(args.datasets, keys)
    for name, metrics in found.items():
        shown = "  ".join(f"{metric} {value:.4f}" for metric, value in metrics.items())
        print(f"{name:30s} {len(keys[name])} pages  {shown}")
    if args.update_floors:
        FLOORS_FILE.write_text(json.dumps(floors_from(found), indent=1) + "\n", encoding="utf-8")
        print(f"floors written to {FLOORS_FILE.relative_to(REPO)}")
        return 0
    floors = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    failed = failures(found, floors)
    for line in failed:
        print(f"quality gate: {line}", file=sys.stderr)
    if not failed:
        print("quality gate: every figure at or above its floor")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
