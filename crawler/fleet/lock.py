"""The store lock of a fleet process: shared among fleet processes, exclusive against a plain crawl.

``pipelines.storage.lock.CrawlLock`` takes the store exclusively (one ``blogcrawl crawl`` per store).
Fleet processes take the same lock in shared mode (``flock LOCK_SH`` on SQLite, a shared advisory lock
on PostgreSQL): any number of them work on one store together, while a plain crawl and a fleet never
write the same store at once (whichever comes second exits 75). Like CrawlLock, it dies with its process.
"""

from __future__ import annotations

import fcntl
import hashlib
from pathlib import Path

from sqlalchemy import text

from pipelines.storage.engine import make_engine, redact
from pipelines.storage.lock import CrawlLock, StoreLocked


class SharedCrawlLock(CrawlLock):
    def _lock_file(self, database: str | None) -> None:
        if not database or database == ":memory:" or database.startswith("file::memory:"):
            return
        path = Path(database.split("?", 1)[0].removeprefix("file:")).resolve()
        handle = open(f"{path}.lock", "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise StoreLocked(f"a (non-fleet) crawl is running on {path} (lock {path}.lock)") from None
        self._file = handle

    def _lock_advisory(self) -> None:
        key = int.from_bytes(hashlib.sha256(b"blogcrawl-crawl").digest()[:8], "big", signed=True)  # CrawlLock's key
        self._engine = make_engine(self.db_url, create=False)
        connection = self._engine.connect()
        if not connection.execute(text("SELECT pg_try_advisory_lock_shared(:k)"), {"k": key}).scalar():
            connection.close()
            self._engine.dispose()
            raise StoreLocked(f"a (non-fleet) crawl is running on {redact(self.db_url)}")
        connection.commit()
        self._connection = connection
