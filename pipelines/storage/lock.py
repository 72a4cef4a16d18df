"""One crawl at a time per store: an exclusive lock that the operating system or the database server
releases by itself when the holding process dies (so a killed crawl's lock is taken over).

SQLite: ``flock`` on ``<database file>.lock``. PostgreSQL: a session-level advisory lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.engine import make_url

from .engine import make_engine, redact


class StoreLocked(Exception):
    """Another crawl holds the store."""


_KEY = int.from_bytes(hashlib.sha256(b"blogcrawl-crawl").digest()[:8], "big", signed=True)


class CrawlLock:
    """Exclusive: one crawl per store. ``shared`` (fleet processes) may be held by many processes at once,
    never together with an exclusive one."""

    shared = False
    holder = "another crawl"  # who holds the lock when this one cannot be taken

    def __init__(self, db_url: str):
        self.db_url = db_url
        self._file = None
        self._connection = None
        self._engine = None

    def acquire(self) -> "CrawlLock":
        url = make_url(self.db_url)
        backend = url.get_backend_name()
        if backend == "sqlite":
            self._lock_file(url.database)
        elif backend == "postgresql":
            self._lock_advisory()
        return self

    def _lock_file(self, database: str | None) -> None:
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            return
        path = Path(database.split("?", 1)[0].removeprefix("file:")).resolve()
        handle = open(f"{path}.lock", "a+")
        try:
            fcntl.flock(handle.fileno(), (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StoreLocked(f"{self.holder} is running on {path} (lock {path}.lock)") from None
        if not self.shared:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
        self._file = handle

    def _lock_advisory(self) -> None:
        function = "pg_try_advisory_lock_shared" if self.shared else "pg_try_advisory_lock"
        self._engine = make_engine(self.db_url, create=False)
        connection = self._engine.connect()
        if not connection.execute(text(f"SELECT {function}(:k)"), {"k": _KEY}).scalar():
            connection.close()
            self._engine.dispose()
            raise StoreLocked(f"{self.holder} is running on {redact(self.db_url)}")
        connection.commit()
        self._connection = connection

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        if self._connection is not None:
            # unlocked in this session, not by closing it: the server ends a closed session's backend (and
            # its locks) a moment later, and a lock asked for meanwhile would find it still held
            function = "pg_advisory_unlock_shared" if self.shared else "pg_advisory_unlock"
            try:
                self._connection.execute(text(f"SELECT {function}(:k)"), {"k": _KEY})
                self._connection.commit()
            except SQLAlchemyError:  # the session is gone (server restarted, connection killed): so is its lock
                pass
            self._connection.close()
            self._engine.dispose()
            self._connection = self._engine = None

    def __enter__(self) -> "CrawlLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
