"""``blogcrawl export [--db DB_URL] [--format jsonl|csv] [-o FILE] [--with-copies]``: one live article per line.

Near-duplicate copies (syndicated, reposted) are not articles of their own; ``--with-copies`` adds a
``copies`` field listing their URLs (CSV: separated by spaces)."""

from __future__ import annotations

import csv
import json
import sys
from contextlib import contextmanager

from crawler.commands import OK, opened_store
from pipelines.storage import articles, signatures
from pipelines.storage.models import Article

FIELDS = ("url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash")


def add_parser(sub) -> None:
    parser = sub.add_parser("export", help="write the stored articles as JSON lines or CSV")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--with-copies", action="store_true", help="list each article's near-duplicate copies (URLs)")


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
    with_copies = getattr(args, "with_copies", False)
    fields = FIELDS + ("copies",) if with_copies else FIELDS
    with opened_store(args.db) as store, store.sessions() as session, _output(args.output) as out:
        writer = csv.DictWriter(out, fieldnames=fields) if args.format == "csv" else None
        if writer:
            writer.writeheader()
        for article in articles.live(session):
            record = article_record(article)
            if with_copies:
                record["copies"] = signatures.copies(session, article.id)
            if writer:
                if with_copies:
                    record["copies"] = " ".join(record["copies"])
                writer.writerow(record)
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return OK
