"""``blogcrawl history URL [--db DB_URL] [--diff]``: every stored version of an article, oldest first.

Versions are numbered from 1. Without ``--diff``: one JSON line per version (``version``, ``fetched_at``,
``content_hash``, ``title``, ``text``). With ``--diff``: a header line per version and, from version 2
on, a unified diff of its title and text against the version before."""

from __future__ import annotations

import difflib
import json

from crawler.commands import FAILED, OK, CommandError, opened_store
from crawler.urls import canonicalize
from pipelines.storage import articles


def add_parser(sub) -> None:
    parser = sub.add_parser("history", help="print every stored version of an article, numbered, oldest first")
    parser.add_argument("url", metavar="URL", help="the article's URL (canonical or any URL that led to it)")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--diff", action="store_true", help="show what changed between versions (unified diff) instead of JSON lines")


def _lines(revision) -> list[str]:
    return [f"title: {revision.title or ''}", *(revision.text or "").splitlines()]


def run(args) -> int:
    with opened_store(args.db, must_exist=True) as store, store.sessions() as session:
        article = articles.by_url(session, canonicalize(args.url)) or articles.by_url(session, args.url)
        if article is None:
            raise CommandError(f"no stored article for {args.url}", FAILED)
        previous = None
        for number, revision in enumerate(articles.revisions(session, article), start=1):
            if not getattr(args, "diff", False):
                record = {
                    "version": number,
                    "fetched_at": revision.fetched_at.isoformat(),
                    "content_hash": revision.content_hash,
                    "title": revision.title,
                    "text": revision.text,
                }
                print(json.dumps(record, ensure_ascii=False))
                continue
            print(f"version {number}  {revision.fetched_at.isoformat()}  {revision.content_hash[:12]}  {revision.title or ''}")
            if previous is not None:
                diff = difflib.unified_diff(
                    _lines(previous[1]), _lines(revision), f"version {previous[0]}", f"version {number}", lineterm="", n=1,
                )
                for line in diff:
                    print(f"  {line}")
            previous = (number, revision)
    return OK
