"""``blogcrawl history URL [--db DB_URL]``: every stored version of an article, oldest first."""

from __future__ import annotations

import json

from crawler.commands import FAILED, OK, CommandError, opened_store
from crawler.urls import canonicalize
from pipelines.storage import articles


def add_parser(sub) -> None:
    parser = sub.add_parser("history", help="print every stored version of an article (JSON lines, oldest first)")
    parser.add_argument("url", metavar="URL", help="the article's URL (canonical or any URL that led to it)")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")


def run(args) -> int:
    with opened_store(args.db) as store, store.sessions() as session:
        article = articles.by_url(session, canonicalize(args.url)) or articles.by_url(session, args.url)
        if article is None:
            raise CommandError(f"no stored article for {args.url}", FAILED)
        for revision in articles.revisions(session, article):
            record = {
                "fetched_at": revision.fetched_at.isoformat(),
                "content_hash": revision.content_hash,
                "title": revision.title,
                "text": revision.text,
            }
            print(json.dumps(record, ensure_ascii=False))
    return OK
