"""One store per crawl: the engine and session factory, shared by the spider and the pipelines."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from collections.abc import Callable, Iterator
from typing import TypeVar

from sqlalchemy.orm import Session

from .engine import make_engine, make_sessionmaker, redact, resolve_db_url
from .faults import retrying

LOGGER = logging.getLogger(__name__)

_ATTR = "_blogcrawl_store"
T = TypeVar("T")


class Store:
    def __init__(self, db_url: str | None = None, *, retry_budget: float = 30.0):
        self.db_url = resolve_db_url(db_url)
        self.retry_budget = retry_budget  # seconds spent retrying transient errors before giving up
        self.engine = make_engine(self.db_url)
        self.sessions = make_sessionmaker(self.engine)

    @classmethod
    def for_crawler(cls, crawler) -> "Store":
        """The crawler's store, built once from the ``BLOGCRAWL_DB`` setting."""
        store = getattr(crawler, _ATTR, None)
        if store is None:
            store = cls(crawler.settings.get("BLOGCRAWL_DB"), retry_budget=crawler.settings.getfloat("BLOGCRAWL_DB_RETRY_BUDGET", 30.0))
            setattr(crawler, _ATTR, store)
        return store

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error.

        Getting the connection is retried while the database is unreachable (see ``faults``); an
        error inside the block is not (use ``run`` for a unit of work that may be run again)."""
        session = retrying(self._connected_session, self.retry_budget, self._log_retry)
        with session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in a transaction, run again on a fresh connection after a transient error
        (connection lost mid-transaction), for up to ``retry_budget`` seconds. ``work`` must be safe to
        repeat: the failed attempt was rolled back."""

        def attempt() -> T:
            with self.begin() as session:
                return work(session)

        return retrying(attempt, self.retry_budget, self._log_retry)

    def _connected_session(self) -> Session:
        session = self.sessions()
        try:
            session.connection()  # checks out (and pings) a connection: fails here, not mid-block
        except BaseException:
            session.close()
            raise
        return session

    def _log_retry(self, exc: BaseException, wait: float) -> None:
        LOGGER.warning("database %s: %s; retrying in %.1fs", redact(self.db_url), type(exc).__name__, wait)

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({redact(self.db_url)})"
