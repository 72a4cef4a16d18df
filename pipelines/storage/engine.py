"""Engine and session factory for a store URL: SQLite in WAL mode by default, schema created or upgraded
(Alembic migrations, ``schema.upgrade``) on first use."""

from __future__ import annotations

import logging
import os

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import schema

LOGGER = logging.getLogger(__name__)
DEFAULT_DB_URL = "sqlite:///blogcrawl.sqlite3"


class StoreError(Exception):
    """The store cannot be used: bad URL, unreachable server, unwritable file."""


def resolve_db_url(db_url: str | None) -> str:
    """The store to use: the given URL, else ``$BLOGCRAWL_DB``, else ``sqlite:///blogcrawl.sqlite3``."""
    return db_url or os.environ.get("BLOGCRAWL_DB") or DEFAULT_DB_URL


def redact(db_url: str) -> str:
    """A store URL fit for logs and error messages: the password is hidden."""
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(db_url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for the store, its schema created or upgraded to the current revision when ``create``
    (the default)."""
    url = resolve_db_url(db_url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"invalid database URL {redact(url)!r}") from None
    kwargs: dict = {"future": True}
    if parsed.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except Exception as exc:  # missing driver, bad options
        raise StoreError(f"cannot use database {redact(url)}: {exc.__class__.__name__}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if create:
        try:
            schema.upgrade(engine)
        except Exception as exc:
            engine.dispose()
            reason = (str(getattr(exc, "orig", exc)).splitlines() or [type(exc).__name__])[0]
            if not isinstance(exc, (OperationalError, InterfaceError)):
                LOGGER.error("schema upgrade of %s failed", redact(url), exc_info=True)
                raise StoreError(f"cannot bring database {redact(url)} to the current schema: {reason}") from None
            raise StoreError(f"database {redact(url)} cannot be used: {reason}") from None
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
