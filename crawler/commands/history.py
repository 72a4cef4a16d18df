"""``blogcrawl history URL [--db DB_URL]``: every stored version of an article, oldest first."""

from __future__ import annotations

import json
import sys

from crawler.commands import FAILED, OK, UNAVAILABLE
from crawler.urls import canonicalize
from pipelines.storage import articles
from pipelines.storage.engine import StoreError
from pipelines.storage.store import Store


def add_parser(sub) -> None:
    parser = sub.add_parser("history", help="print every stored version of an article (JSON lines, oldest first)")
    parser.add_argument("url", metavar="URL", help="the article's URL (canonical or any URL that led to it)")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")


def run(args) -> int:
    try:
        store = Store(args.db)
    except StoreError as exc:
        print(f"blogcrawl: error: {exc}", file=sys.stderr)
        return UNAVAILABLE
    try:
        with store.sessions() as session:
            article = articles.by_url(session, canonicalize(args.url)) or articles.by_url(session, args.url)
            if article is None:
                print(f"blogcrawl: no stored article for {args.url}", file=sys.stderr)
                return FAILED
            for revision in articles.revisions(session, article):
                record = {
                    "fetched_at": revision.fetched_at.isoformat(),
                    "content_hash": revision.content_hash,
                    "title": revision.title,
                    "text": revision.text,
                }
                print(json.dumps(record, ensure_ascii=False))
    finally:
        store.close()
    return OK
