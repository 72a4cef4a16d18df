"""Database errors sorted by what to do about them: retry (transient) or stop the crawl (fatal).

Transient: the connection was lost or refused (PostgreSQL restarted, backend terminated, network
blip) or SQLite stayed locked; the unit of work is run again on a fresh connection. Fatal: the store
cannot take writes at all (read-only file or transaction, disk full, file cannot be opened); going on
would only lose every page fetched from then on, so the crawl stops with a one-line reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError

# (message fragment of the driver's error, short reason): SQLite's messages, PostgreSQL's SQLSTATEs.
_FATAL_MESSAGES = (
    ("readonly database", "the database is read-only"),
    ("read-only", "the database is read-only"),
    ("database or disk is full", "the disk is full"),
    ("no space left on device", "the disk is full"),
    ("unable to open database file", "the database file cannot be opened"),
    ("disk i/o error", "disk I/O error"),
)
_FATAL_SQLSTATES = {
    "53100": "the disk is full",
    "25006": "the database is read-only",
    "42501": "no permission to write",
}
_TRANSIENT_SQLITE = ("database is locked", "database table is locked")


def db_error(exc: BaseException | None) -> BaseException | None:
    """The database error in ``exc`` or in what caused it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (DBAPIError, DisconnectionError)):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def fatal_reason(exc: BaseException) -> str | None:
    """Why the store can take no more writes, or None when ``exc`` is not such an error."""
    error = db_error(exc)
    if not isinstance(error, DBAPIError):
        return None
    orig = error.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in _FATAL_SQLSTATES:
        return _FATAL_SQLSTATES[state]
    message = str(orig).lower()
    for fragment, reason in _FATAL_MESSAGES:
        if fragment in message:
            return reason
    return None


def is_transient(exc: BaseException) -> bool:
    """True for errors that a retry on a fresh connection can cure."""
    error = db_error(exc)
    if error is None or fatal_reason(error) is not None:
        return False
    if isinstance(error, DisconnectionError) or getattr(error, "connection_invalidated", False):
        return True
    if not isinstance(error, OperationalError):
        return False
    if type(error.orig).__module__.startswith("sqlite3"):
        return any(fragment in str(error.orig).lower() for fragment in _TRANSIENT_SQLITE)
    return True  # a server backend: connection refused, terminated, admin shutdown


def retry_delays(budget: float, base: float = 0.1, cap: float = 5.0):
    """Waits between attempts (exponential, capped) until ``budget`` seconds are spent."""
    spent, delay = 0.0, base
    while spent < budget:
        wait = min(delay, cap, budget - spent)
        yield wait
        spent += wait
        delay *= 2


def retrying(fn: Callable, budget: float, on_retry: Callable[[BaseException, float], None] | None = None):
    """Calls ``fn()`` until it succeeds, retrying transient errors for up to ``budget`` seconds.

    Blocking: the caller's thread waits (the store is synchronous; nothing else can be written
    meanwhile anyway)."""
    delays = retry_delays(budget)
    while True:
        try:
            return fn()
        except Exception as exc:
            if not is_transient(exc):
                raise
            wait = next(delays, None)
            if wait is None:
                raise
            if on_retry is not None:
                on_retry(exc, wait)
            time.sleep(wait)
