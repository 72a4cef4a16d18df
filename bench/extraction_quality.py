"""Body-text quality of blogcrawl's extractor against plain trafilatura, on the two dev benchmarks.

    python bench/extraction_quality.py [DATASETS_DIR] [--only NAME] [--extractor NAME] [--folds K]
                                       [--show-worst N]

DATASETS_DIR defaults to ../shared/datasets relative to the repository. Metrics as the datasets'
README defines them: article-extraction-benchmark scores bags of word 4-grams (regex ``\\w+``) per
page, averaged; trafilatura-eval counts ``with`` / ``without`` snippets over the whole corpus.

Extractors: blogcrawl (the whole ``extract``), trafilatura (2.x defaults minus comments) and
trafilatura-precision (the same with ``favor_precision=True``), all on the page decoded as a crawler
would. ``--folds K`` (default 5) also splits each benchmark's pages into K folds by site (the host of
the page URL; an archive.org URL counts as the archived host) and prints, beside the dev figure, the
mean and worst fold. An extractor that learns anything is fitted on the other K-1 folds before it
scores a fold (``FITTERS``); the rule-based ones are the same function on every fold. CPU per page is
process time of the extractor call (median and mean), extractors interleaved page by page, and its
ratio to plain trafilatura's on the same pages in the same run. Each extractor first runs once over
all the pages untimed, so one-time loads (the language identifier's model, a date language's data:
once per crawl process, not per page) are not counted as a page's cost.
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
import zlib
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import trafilatura  # noqa: E402

from crawler.extraction import extract  # noqa: E402
from crawler.extraction.decode import NotHtml, decode_html  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

FETCHED_AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
_WORD = re.compile(r"\w+")
_ARCHIVE = re.compile(r"^/web/[^/]+/(.+)$")
Extractor = Callable[[bytes, str], str]
Page = tuple[str, dict, bytes]


def blogcrawl_text(body: bytes, url: str) -> str:
    return extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED_AT)).text


def _trafilatura(body: bytes, url: str, **options) -> str:
    try:
        html = decode_html(body)
    except NotHtml:
        return ""
    return trafilatura.extract(html, url=url, include_comments=False, **options) or ""


def trafilatura_text(body: bytes, url: str) -> str:
    """Plain trafilatura: defaults minus comments."""
    return _trafilatura(body, url)


def trafilatura_precision(body: bytes, url: str) -> str:
    """trafilatura's precision mode."""
    return _trafilatura(body, url, favor_precision=True)


EXTRACTORS: dict[str, Extractor] = {"blogcrawl": blogcrawl_text, "trafilatura": trafilatura_text,
                                    "trafilatura-precision": trafilatura_precision}
# Extractors that learn from pages: name -> fit(training pages) -> extractor. None yet: every rule of
# blogcrawl is fixed, so its fold figure is its figure on pages of sites outside the other folds.
FITTERS: dict[str, Callable[[list[Page]], Extractor]] = {}


def site_of(url: str, key: str) -> str:
    """The host a page belongs to (the archived one for web.archive.org); the page key when there is no URL."""
    parts = urlsplit((url or "").strip())
    if parts.hostname == "web.archive.org":
        match = _ARCHIVE.match(parts.path)
        if match:
            return site_of(match[1], key)
    host = (parts.hostname or "").removeprefix("www.")
    return host or f"no-url:{key}"


def folds_by_site(pages: list[Page], k: int) -> list[list[int]]:
    """Page indexes in ``k`` folds; every page of a site in the same fold; sizes balanced, deterministic."""
    sites: dict[str, list[int]] = {}
    for index, (key, rec, _) in enumerate(pages):
        sites.setdefault(site_of(rec.get("url") or "", key), []).append(index)
    folds: list[list[int]] = [[] for _ in range(k)]
    for site in sorted(sites, key=lambda s: (-len(sites[s]), zlib.crc32(s.encode()))):
        min(folds, key=len).extend(sites[site])
    return [sorted(f) for f in folds]


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


def load(folder: Path) -> list[Page]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return [(key, rec, gzip.decompress((folder / rec["file"]).read_bytes())) for key, rec in sorted(truth.items())]


def score_aeb(pages: list[Page], texts: list[str]) -> tuple[dict, list]:
    precisions, recalls, rows = [], [], []
    for (key, rec, _), text in zip(pages, texts):
        truth = rec.get("articleBody") or ""
        p, r = page_scores(text, truth)
        if text.strip():
            precisions.append(p)
        if truth.strip():
            recalls.append(r)
        rows.append((f1(p, r), p, r, key))
    P = sum(precisions) / len(precisions) if precisions else 0.0
    R = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": P, "recall": R, "f1": f1(P, R)}, rows


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


def score_eval(pages: list[Page], texts: list[str]) -> tuple[dict, list]:
    tp = fn_ = fp = tn = 0
    rows = []
    for (key, rec, _), raw in zip(pages, texts):
        text = _norm(raw)
        with_ = [_norm(s) for s in _snippets(rec.get("with"))]
        without = [_norm(s) for s in _snippets(rec.get("without"))]
        hit = sum(s in text for s in with_)
        leak = sum(s in text for s in without)
        tp, fn_, fp, tn = tp + hit, fn_ + len(with_) - hit, fp + leak, tn + len(without) - leak
        rows.append((-(len(with_) - hit + leak), hit, leak, key))
    P = tp / (tp + fp) if tp + fp else 0.0
    R = tp / (tp + fn_) if tp + fn_ else 0.0
    total = tp + fn_ + fp + tn
    return {"precision": P, "recall": R, "f1": f1(P, R), "accuracy": (tp + tn) / total if total else 0.0}, rows


BENCHES = {"article-extraction-benchmark": score_aeb, "trafilatura-eval": score_eval}


def run_pages(fn: Extractor, pages: list[Page]) -> tuple[list[str], list[float]]:
    """Each page's text and the CPU (process) time of each call."""
    texts, costs = [], []
    for _, rec, body in pages:
        start = time.process_time()
        texts.append(fn(body, (rec.get("url") or "").strip()))
        costs.append(time.process_time() - start)
    return texts, costs


def run_interleaved(extractors: dict[str, Extractor], pages: list[Page]) -> dict[str, tuple[list[str], list[float]]]:
    """``run_pages`` of every extractor, page by page in turn (a load change on the machine hits all alike),
    after one untimed warm-up pass over the pages each (one-time loads are not per-page costs)."""
    for fn in extractors.values():
        run_pages(fn, pages)
    outputs: dict[str, tuple[list[str], list[float]]] = {name: ([], []) for name in extractors}
    for page in pages:
        for name, fn in extractors.items():
            texts, costs = run_pages(fn, [page])
            outputs[name][0].extend(texts)
            outputs[name][1].extend(costs)
    return outputs


def cross_validate(name: str, pages: list[Page], texts: list[str], folds: list[list[int]], score) -> list[dict]:
    """Each fold's scores: of the fixed texts, or of an extractor fitted on the other folds."""
    results = []
    for number, fold in enumerate(folds):
        test = [pages[i] for i in fold]
        if name in FITTERS:
            held = set(fold)
            fitted = FITTERS[name]([p for i, p in enumerate(pages) if i not in held])
            fold_texts = run_pages(fitted, test)[0]
        else:
            fold_texts = [texts[i] for i in fold]
        results.append(score(test, fold_texts)[0])
    return results


def _figures(scores: dict) -> str:
    return " ".join(f"{'F1' if k == 'f1' else k[0].upper()}={v:.4f}" for k, v in scores.items())


def _show_worst(name: str, rows: list, worst: int) -> None:
    for row in sorted(rows)[:worst]:
        print(f"  worst {name}: {row[3]} score={row[0]:.3f} {row[1]:.3f} {row[2]:.3f}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="?", default=str(REPO.parent / "shared" / "datasets"))
    parser.add_argument("--only", choices=sorted(BENCHES))
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS), action="append",
                        help="run only this extractor (repeatable); trafilatura always runs as the CPU baseline")
    parser.add_argument("--folds", type=int, default=5, help="folds by site for cross-validation (0: dev only)")
    parser.add_argument("--show-worst", type=int, default=0)
    args = parser.parse_args(argv)
    names = [n for n in EXTRACTORS if not args.extractor or n in args.extractor or n == "trafilatura"]
    print(f"CPU is process time per page, measured on a shared (loaded) machine; ratios are to trafilatura in this run.")
    for bench, score in BENCHES.items():
        if args.only and bench != args.only:
            continue
        pages = load(Path(args.datasets) / bench)
        folds = folds_by_site(pages, args.folds) if args.folds > 1 else []
        sites = len({site_of(rec.get("url") or "", key) for key, rec, _ in pages})
        print(f"{bench}: {len(pages)} pages, {sites} sites" + (f", {len(folds)} folds of "
              f"{'/'.join(str(len(f)) for f in folds)} pages" if folds else ""))
        outputs = run_interleaved({name: EXTRACTORS[name] for name in names}, pages)
        base_cpu = statistics.mean(outputs["trafilatura"][1])
        for name in names:
            texts, costs = outputs[name]
            dev, rows = score(pages, texts)
            _show_worst(name, rows, args.show_worst)
            cpu = (f"CPU median {1000 * statistics.median(costs):.1f} ms mean {1000 * statistics.mean(costs):.1f} ms"
                   f" ({statistics.mean(costs) / base_cpu:.2f}x)")
            print(f"  {name:22s} dev  {_figures(dev)}  {cpu}")
            if folds:
                cv = cross_validate(name, pages, texts, folds, score)
                mean = {k: statistics.mean(s[k] for s in cv) for k in dev}
                worst = min(cv, key=lambda s: s["f1"])
                print(f"  {'':22s} CV   {_figures(mean)}  (mean of {len(cv)} folds)")
                per_fold = " ".join(f"{s['f1']:.4f}" for s in cv)
                print(f"  {'':22s} CV   {_figures(worst)}  (worst fold; fold F1 {per_fold})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
