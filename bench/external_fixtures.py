"""Body text on pages nobody here tuned for: the test fixtures newspaper4k ships (html + expected text).

    pip download --no-deps --no-binary :all: newspaper4k==0.9.6 -d /tmp/np4k && tar xzf /tmp/np4k/*.tar.gz -C /tmp/np4k
    python bench/external_fixtures.py /tmp/np4k/newspaper4k-0.9.6/tests/data

Each page of ``html/`` with an expected ``txt/`` text of 200+ characters and its URL in ``metadata/`` is
extracted by blogcrawl, plain trafilatura and trafilatura's precision mode (as in extraction_quality),
and scored like the article-extraction-benchmark: word 4-gram precision and recall per page, averaged.
The expected texts are newspaper4k's own output, checked by its authors: a second opinion, not a
human ground truth (a "Read more:" line it keeps counts against an extractor that drops it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_quality import blogcrawl_text, f1, page_scores, trafilatura_precision, trafilatura_text  # noqa: E402

EXTRACTORS = {"blogcrawl": blogcrawl_text, "trafilatura": trafilatura_text,
              "trafilatura-precision": trafilatura_precision}
_MIN_CHARS = 200


def pages(data: Path) -> list[tuple[str, str, bytes, str]]:
    """(name, url, html bytes, expected text) of every usable fixture."""
    found = []
    for meta in sorted((data / "metadata").glob("*.json")):
        page, text = data / "html" / f"{meta.stem}.html", data / "txt" / f"{meta.stem}.txt"
        if not page.exists() or not text.exists():
            continue
        expected = text.read_text(encoding="utf-8")
        if len(expected) >= _MIN_CHARS:
            url = json.loads(meta.read_text(encoding="utf-8")).get("url") or f"http://example.com/{meta.stem}"
            found.append((meta.stem, url, page.read_bytes(), expected))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="newspaper4k's tests/data folder")
    parser.add_argument("--pages", action="store_true", help="print each page's figures")
    args = parser.parse_args(argv)
    found = pages(args.data)
    if not found:
        print(f"no fixtures under {args.data}", file=sys.stderr)
        return 2
    totals = {name: [0.0, 0.0] for name in EXTRACTORS}
    for stem, url, body, expected in found:
        row = []
        for name, extractor in EXTRACTORS.items():
            p, r = page_scores(extractor(body, url), expected)
            totals[name][0] += p
            totals[name][1] += r
            row.append(f"{name} P={p:.3f} R={r:.3f}")
        if args.pages:
            print(f"  {stem}: " + "  ".join(row))
    print(f"{len(found)} pages")
    for name, (p, r) in totals.items():
        p, r = p / len(found), r / len(found)
        print(f"  {name:22s} P={p:.4f} R={r:.4f} F1={f1(p, r):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
