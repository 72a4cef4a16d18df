"""The store opened read-only for the view: SQLite through a ``mode=ro`` URI with ``query_only``,
PostgreSQL in read-only transactions. Nothing is created, migrated or written."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from pipelines.storage import schema
from pipelines.storage.engine import StoreError, redact, resolve_db_url


def _read_only_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def read_only_engine(db_url: str | None) -> Engine:
    """An engine that can only read the store at ``db_url``; ``StoreError`` when there is none to read."""
    url = resolve_db_url(db_url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"invalid database URL {redact(url)!r}") from None
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            engine = _sqlite(parsed, url)
        elif backend == "postgresql":
            engine = create_engine(parsed, pool_pre_ping=True,
                                   connect_args={"options": "-c default_transaction_read_only=on"})
        else:
            engine = create_engine(parsed)
    except StoreError:
        raise
    except Exception as exc:  # missing driver, bad options
        raise StoreError(f"cannot use database {redact(url)}: {exc.__class__.__name__}: {exc}") from None
    _check_schema(engine, url)
    return engine


def _sqlite(parsed, url: str) -> Engine:
    path = parsed.database
    if not path or path == ":memory:" or path.startswith("file:"):
        raise StoreError(f"no store at {redact(url)} (give the path of a crawled SQLite file)")
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"no store at {redact(url)}: {file} does not exist (run blogcrawl crawl first)")
    engine = create_engine(f"sqlite:///file:{quote(str(file.resolve()))}?mode=ro&uri=true")
    event.listen(engine, "connect", _read_only_pragmas)
    return engine


def _check_schema(engine: Engine, url: str) -> None:
    try:
        with engine.connect() as connection:
            revision = schema.current(connection)
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = (str(getattr(exc, "orig", exc)).splitlines() or [type(exc).__name__])[0]
        raise StoreError(f"database {redact(url)} cannot be used: {reason}") from None
    if revision is None:
        engine.dispose()
        raise StoreError(f"{redact(url)} is not a blogcrawl store (no schema version)")
    if revision != schema.HEAD:
        engine.dispose()
        raise StoreError(f"store {redact(url)} is at schema {revision}, this blogcrawl reads {schema.HEAD}: "
                         "run blogcrawl db upgrade")


def read_only_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
