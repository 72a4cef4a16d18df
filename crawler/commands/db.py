"""``blogcrawl db upgrade [--db DB_URL]``: bring a store to the current schema (``crawl`` does it on start).

``blogcrawl db current [--db DB_URL]`` prints the store's schema revision and the current one.
"""

from __future__ import annotations

import sys

from sqlalchemy.exc import SQLAlchemyError

from crawler.commands import FAILED, OK, UNAVAILABLE, require_store
from pipelines.storage import schema
from pipelines.storage.engine import StoreError, make_engine, redact, resolve_db_url


def add_parser(sub) -> None:
    parser = sub.add_parser("db", help="the store's schema: upgrade it to the current version, or show its version")
    actions = parser.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    for name, text in (("upgrade", "bring the store to the current schema (keeps every row)"), ("current", "print the store's schema revision")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")


def run(args) -> int:
    db_url = resolve_db_url(args.db)
    if args.db_action == "current":
        require_store(db_url)  # a read: never creates a store
    try:
        engine = make_engine(db_url, create=False)
    except StoreError as exc:
        print(f"blogcrawl: error: {exc}", file=sys.stderr)
        return UNAVAILABLE
    try:
        if args.db_action == "current":
            with engine.connect() as connection:
                revision = schema.current(connection)
            print(f"{redact(db_url)}: revision {revision or 'none'} (current schema: {schema.head()})")
            return OK
        before, after = schema.upgrade(engine)
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", exc)).splitlines() or [type(exc).__name__])[0]
        print(f"blogcrawl: error: {redact(db_url)}: {reason}", file=sys.stderr)
        return UNAVAILABLE if "connect" in reason.lower() else FAILED
    finally:
        engine.dispose()
    if before == after:
        print(f"{redact(db_url)}: already at revision {after}")
    else:
        print(f"{redact(db_url)}: upgraded from revision {before or 'none'} to {after}")
    return OK
