"""``blogcrawl export [--db DB_URL] [--format jsonl|csv] [-o FILE]``: one live article per line."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager

from crawler.commands import OK, UNAVAILABLE
from pipelines.storage import articles
from pipelines.storage.engine import StoreError
from pipelines.storage.models import Article
from pipelines.storage.store import Store

FIELDS = ("url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash")


def add_parser(sub) -> None:
    parser = sub.add_parser("export", help="write the stored articles as JSON lines or CSV")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")


def article_record(article: Article) -> dict:
    """The export shape of an article: dates as ISO 8601 strings (or null)."""
    record = {name: getattr(article, name) for name in FIELDS}
    for name in ("published", "modified", "fetched_at"):
        value = record[name]
        record[name] = value.isoformat() if value is not None else None
    return record


@contextmanager
def _output(path: str | None):
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


def run(args) -> int:
    try:
        store = Store(args.db)
    except StoreError as exc:
        print(f"blogcrawl: error: {exc}", file=sys.stderr)
        return UNAVAILABLE
    try:
        with store.sessions() as session, _output(args.output) as out:
            writer = csv.DictWriter(out, fieldnames=FIELDS) if args.format == "csv" else None
            if writer:
                writer.writeheader()
            for article in articles.live(session):
                record = article_record(article)
                if writer:
                    writer.writerow(record)
                else:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        store.close()
    return OK
