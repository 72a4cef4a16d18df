"""The store lock of a fleet process: shared among fleet processes, exclusive against a plain crawl.

``pipelines.storage.lock.CrawlLock`` takes the store exclusively (one ``blogcrawl crawl`` per store).
Fleet processes take the same lock in shared mode (``flock LOCK_SH`` on SQLite, a shared advisory lock
on PostgreSQL): any number of them work on one store together, while a plain crawl and a fleet never
write the same store at once (whichever comes second exits 75). Like CrawlLock, it dies with its process.
"""

from __future__ import annotations

from pipelines.storage.lock import CrawlLock


class SharedCrawlLock(CrawlLock):
    shared = True
    holder = "a (non-fleet) crawl"
