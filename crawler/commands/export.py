"""``blogcrawl export [--db DB_URL] [--format jsonl|csv] [-o FILE] [--site HOST] [--since DATE] [--until DATE]
[--with-copies]``: one live article per line, its ``kind`` ``article`` (a text post) or ``embed`` (a video
or image post whose text is its embed URLs, crawler/extraction/embeds.py).

Near-duplicate copies (syndicated, reposted) are not articles of their own; ``--with-copies`` adds a
``copies`` field listing their URLs (CSV: separated by spaces). ``--since`` / ``--until`` keep the
articles published on or after / on or before a day (articles without a date are then left out)."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from contextlib import contextmanager
from datetime import date

from crawler.commands import CANTCREAT, OK, CommandError, opened_store
from pipelines.storage import articles, signatures
from pipelines.storage.models import Article

FIELDS = ("url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash", "kind")
ARTICLE, EMBED = "article", "embed"  # kind: a text post, or a video/image post whose text is its embed URLs


def export_kind(kind: str | None) -> str:
    """The ``kind`` field as exported: ``embed`` for an embed-only post, ``article`` for any other (stored NULL)."""
    return kind or ARTICLE


def day(value: str) -> date:
    """argparse type of ``--since`` / ``--until``: YYYY-MM-DD."""
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_parser(sub) -> None:
    parser = sub.add_parser("export", help="write the stored articles as JSON lines or CSV")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="JSON lines (default) or CSV with a header row")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    parser.add_argument("--site", action="append", metavar="HOST", help="only this site (host or host:port; may repeat)")
    parser.add_argument("--since", type=day, metavar="DATE", help="only articles published on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--until", type=day, metavar="DATE", help="only articles published on or before DATE (YYYY-MM-DD)")
    parser.add_argument("--with-copies", action="store_true", help="list each article's near-duplicate copies (URLs)")


def article_record(article: Article) -> dict:
    """The export shape of an article: dates as ISO 8601 strings (or null)."""
    record = {name: getattr(article, name) for name in FIELDS}
    record["kind"] = export_kind(record["kind"])
    for name in ("published", "modified", "fetched_at"):
        value = record[name]
        record[name] = value.isoformat() if value is not None else None
    return record


def selected(article: Article, args) -> bool:
    """Whether ``--site``, ``--since`` and ``--until`` keep the article."""
    sites = getattr(args, "site", None)
    if sites and article.site not in {s.strip().lower().removeprefix("http://").removeprefix("https://").rstrip("/") for s in sites}:
        return False
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since or until:
        if article.published is None:
            return False
        published = article.published.date()
        if (since and published < since) or (until and published > until):
            return False
    return True


@contextmanager
def _output(path: str | None):
    if path is None:
        yield sys.stdout
        return
    if os.path.isdir(path):
        raise CommandError(f"error: cannot write {path}: it is a folder (give a file name)", CANTCREAT)
    try:
        handle = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise CommandError(f"error: cannot write {path}: {exc.strerror or exc}", CANTCREAT) from None
    with handle:
        yield handle


def run(args) -> int:
    with_copies = getattr(args, "with_copies", False)
    fields = FIELDS + ("copies",) if with_copies else FIELDS
    with opened_store(args.db, must_exist=True) as store, store.sessions() as session, _output(args.output) as out:
        writer = csv.DictWriter(out, fieldnames=fields) if args.format == "csv" else None
        if writer:
            writer.writeheader()
        for article in articles.live(session):
            if not selected(article, args):
                continue
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
