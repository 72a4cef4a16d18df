"""Article verdicts against hand labels: real articles rejected, non-articles accepted, per dataset.

    python bench/article_verdicts.py [--datasets DIR] [--dump DUMP.jsonl] [--list] [--folds K]

Every dev page (``*/pages/*.html.gz`` with a ``truth.json`` entry; DIR defaults to ../shared/datasets)
is extracted with one fixed fetch time, or read from a dump of ``bench/extract_dump.py`` (``--dump``).
``bench/article_labels.json`` holds hand labels (article / listing / home / static / other, with a note)
of every page that extraction rejected on 2 Dec 2026 and of the accepted pages whose URL or content is
plainly not one post (site roots, news indexes, profiles). Unlabelled pages are taken as articles: the
three datasets are article benchmarks. Labels of dev pages are data, not rules.

Printed per dataset: pages, rejected articles (labelled article, or unlabelled, and rejected), accepted
non-articles (labelled otherwise and accepted), non-articles refused. ``--list`` names each wrong page.
``--folds K`` prints the same two errors per fold of sites (the split of extraction_quality.py), so that
a fix tuned on some sites can be read on the others. Exit 0; 2 on unreadable input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from crawler.extraction import extract  # noqa: E402
from crawler.items import PageSnapshot  # noqa: E402

FETCHED_AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
DATASETS = REPO.parent / "shared" / "datasets"
LABELS = Path(__file__).with_name("article_labels.json")


def dev_verdicts(root: Path) -> Iterator[tuple[str, str, bool, str | None]]:
    """(``dataset/key``, URL, is_article, reason) of every dev page, extracted now."""
    for truth_file in sorted(root.glob("*/truth.json")):
        for key, case in sorted(json.loads(truth_file.read_text()).items()):
            path = truth_file.parent / case["file"]
            if path.exists():
                body = gzip.decompress(path.read_bytes())
                result = extract(PageSnapshot(url=case["url"], body=body, fetched_at=FETCHED_AT))
                yield f"{truth_file.parent.name}/{key}", case["url"], result.is_article, result.reason


def dumped_verdicts(dump: Path) -> Iterator[tuple[str, str, bool, str | None]]:
    for line in dump.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        yield row["page"], row.get("url") or "", row["is_article"], row.get("reason")


def errors(verdicts, labels: dict) -> tuple[Counter, list[str]]:
    """Counts per dataset and one line per wrong verdict."""
    counts: Counter = Counter()
    wrong: list[str] = []
    for page, url, is_article, reason in verdicts:
        dataset = page.split("/")[0]
        label = labels.get(page, {}).get("label", "article")
        counts[dataset, "pages"] += 1
        if label == "article" and not is_article:
            counts[dataset, "rejected_articles"] += 1
            wrong.append(f"rejected article  {page} {reason} {url}")
        elif label != "article" and is_article:
            counts[dataset, "accepted_non_articles"] += 1
            wrong.append(f"accepted {label:<8} {page} {url}")
        elif label != "article":
            counts[dataset, "refused_non_articles"] += 1
    return counts, wrong


def print_counts(counts: Counter, prefix: str = "") -> None:
    for dataset in sorted({d for d, _ in counts}):
        print(f"{prefix}{dataset:<30} pages={counts[dataset, 'pages']:<4} "
              f"rejected_articles={counts[dataset, 'rejected_articles']:<3} "
              f"accepted_non_articles={counts[dataset, 'accepted_non_articles']:<3} "
              f"refused_non_articles={counts[dataset, 'refused_non_articles']}")


def print_folds(verdicts: list, labels: dict, k: int) -> None:
    from extraction_quality import folds_by_site  # noqa: PLC0415 (bench sibling; only for --folds)

    pages = [(page, {"url": url}, None) for page, url, _, _ in verdicts]
    for number, fold in enumerate(folds_by_site(pages, k)):
        counts, _ = errors([verdicts[i] for i in fold], labels)
        rejected = sum(v for (_, name), v in counts.items() if name == "rejected_articles")
        accepted = sum(v for (_, name), v in counts.items() if name == "accepted_non_articles")
        print(f"fold {number}: pages={len(fold)} rejected_articles={rejected} accepted_non_articles={accepted}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--dump", type=Path, help="read verdicts from an extract_dump.py file")
    parser.add_argument("--list", action="store_true", help="name every wrong verdict")
    parser.add_argument("--folds", type=int, default=0, help="errors per fold of sites")
    args = parser.parse_args(argv)
    try:
        labels = json.loads(LABELS.read_text(encoding="utf-8"))
        verdicts = list(dumped_verdicts(args.dump) if args.dump else dev_verdicts(args.datasets))
    except (OSError, ValueError, KeyError) as err:
        print(f"article_verdicts: unreadable input: {err}", file=sys.stderr)
        return 2
    if not verdicts:
        print(f"article_verdicts: no pages under {args.datasets}", file=sys.stderr)
        return 2
    counts, wrong = errors(verdicts, labels)
    if args.list:
        print("\n".join(wrong))
    print_counts(counts)
    if args.folds:
        print_folds(verdicts, labels, args.folds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
