"""Body-text quality of blogcrawl's extractor against plain trafilatura, on the two dev benchmarks.

    python bench/extraction_quality.py [DATASETS_DIR] [--only NAME] [--show-worst N]

DATASETS_DIR defaults to ../shared/datasets relative to the repository. Metrics as the datasets'
README defines them: article-extraction-benchmark scores bags of word 4-grams (regex ``\\w+``) per
page, averaged; trafilatura-eval counts ``with`` / ``without`` snippets over the whole corpus.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.extraction import extract  # noqa: E402
from crawler.extraction.decode import NotHtml, decode_html  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

FETCHED_AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
_WORD = re.compile(r"\w+")
Extractor = Callable[[bytes, str], str]


def blogcrawl_text(body: bytes, url: str) -> str:
    return extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED_AT)).text


def trafilatura_text(body: bytes, url: str) -> str:
    """Plain trafilatura: defaults minus comments, on the page decoded as a crawler would."""
    try:
        html = decode_html(body)
    except NotHtml:
        return ""
    return trafilatura.extract(html, url=url, include_comments=False) or ""


EXTRACTORS: dict[str, Extractor] = {"blogcrawl": blogcrawl_text, "trafilatura": trafilatura_text}


def grams(text: str) -> Counter:
    """Multiset of word 4-grams; a text of 1-3 words is a single gram; an empty text has none."""
    words = _WORD.findall(text or "")
    if not words:
        return Counter()
    if len(words) < 4:
        return Counter([tuple(words)])
    return Counter(tuple(words[i:i + 4]) for i in range(len(words) - 3))


def page_scores(predicted: str, truth: str) -> tuple[float, float]:
    """(precision, recall) of one page with the benchmark's edge rules."""
    pred, true = grams(predicted), grams(truth)
    tp = sum((pred & true).values())
    fp, fn = sum(pred.values()) - tp, sum(true.values()) - tp
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def load(folder: Path) -> list[tuple[str, dict, bytes]]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return [(key, rec, gzip.decompress((folder / rec["file"]).read_bytes())) for key, rec in sorted(truth.items())]


def bench_aeb(pages: list, name: str, fn: Extractor, worst: int) -> dict:
    precisions, recalls, rows = [], [], []
    for key, rec, body in pages:
        text, truth = fn(body, rec.get("url") or ""), rec.get("articleBody") or ""
        p, r = page_scores(text, truth)
        if text.strip():
            precisions.append(p)
        if truth.strip():
            recalls.append(r)
        rows.append((f1(p, r), p, r, key))
    P = sum(precisions) / len(precisions) if precisions else 0.0
    R = sum(recalls) / len(recalls) if recalls else 0.0
    _show_worst(name, rows, worst)
    return {"precision": P, "recall": R, "f1": f1(P, R)}


def _snippets(value) -> list[str]:
    if isinstance(value, list):
        return value
    try:
        parsed = ast.literal_eval(value or "[]")
    except (ValueError, SyntaxError):
        return [value] if value else []
    return parsed if isinstance(parsed, list) else [str(parsed)]


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def bench_eval(pages: list, name: str, fn: Extractor, worst: int) -> dict:
    tp = fn_ = fp = tn = 0
    rows = []
    for key, rec, body in pages:
        text = _norm(fn(body, (rec.get("url") or "").strip()))
        with_ = [_norm(s) for s in _snippets(rec.get("with"))]
        without = [_norm(s) for s in _snippets(rec.get("without"))]
        hit = sum(s in text for s in with_)
        leak = sum(s in text for s in without)
        tp, fn_, fp, tn = tp + hit, fn_ + len(with_) - hit, fp + leak, tn + len(without) - leak
        rows.append((-(len(with_) - hit + leak), hit, leak, key))
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn_) if tp + fn_ else 0.0
    total = tp + fn_ + fp + tn
    _show_worst(name, rows, worst)
    return {"precision": P, "recall": R, "f1": f1(P, R), "accuracy": (tp + tn) / total if total else 0.0}


def _timed(fn: Extractor, costs: list[float]) -> Extractor:
    """``fn`` recording the CPU time of each call in ``costs``."""
    def run(body: bytes, url: str) -> str:
        start = time.process_time()
        try:
            return fn(body, url)
        finally:
            costs.append(time.process_time() - start)
    return run


def _show_worst(name: str, rows: list, worst: int) -> None:
    for row in sorted(rows)[:worst]:
        print(f"  worst {name}: {row[3]} score={row[0]:.3f} {row[1]:.3f} {row[2]:.3f}", file=sys.stderr)


BENCHES = {"article-extraction-benchmark": bench_aeb, "trafilatura-eval": bench_eval}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="?", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--only", choices=sorted(BENCHES))
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS))
    parser.add_argument("--show-worst", type=int, default=0)
    args = parser.parse_args(argv)
    for bench, run in BENCHES.items():
        if args.only and bench != args.only:
            continue
        pages = load(Path(args.datasets) / bench)
        for name, fn in EXTRACTORS.items():
            if args.extractor and name != args.extractor:
                continue
            start, costs = time.perf_counter(), []
            scores = run(pages, name, _timed(fn, costs), args.show_worst)
            figures = " ".join(f"{k[0].upper() if k != 'f1' else 'F1'}={v:.4f}" for k, v in scores.items())
            print(f"{bench:30s} {name:12s} {figures}  ({len(pages)} pages, {time.perf_counter() - start:.1f}s, "
                  f"median {1000 * statistics.median(costs):.1f} ms/page CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
