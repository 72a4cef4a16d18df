"""One store per crawl: the engine and session factory, shared by the spider and the pipelines."""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator

from sqlalchemy.orm import Session

from .engine import make_engine, make_sessionmaker, redact, resolve_db_url

_ATTR = "_blogcrawl_store"


class Store:
    def __init__(self, db_url: str | None = None):
        self.db_url = resolve_db_url(db_url)
        self.engine = make_engine(self.db_url)
        self.sessions = make_sessionmaker(self.engine)

    @classmethod
    def for_crawler(cls, crawler) -> "Store":
        """The crawler's store, built once from the ``BLOGCRAWL_DB`` setting."""
        store = getattr(crawler, _ATTR, None)
        if store is None:
            store = cls(crawler.settings.get("BLOGCRAWL_DB"))
            setattr(crawler, _ATTR, store)
        return store

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({redact(self.db_url)})"
