"""Extraction off the event loop: a pool of worker processes fed from the crawl.

Extraction costs CPU per page (10–30 ms with trafilatura, far more on a large page); run in a callback
it would block the reactor thread and use one core. ``ExtractorPool.extract(snapshot)`` is awaited by
the spider instead: the page goes to a worker process, which parses it once for everything the crawl
needs from it (``crawler.pages.analyse``: the article, the links, the rendering signals); the
``Extracted`` result (or the worker's exception) comes back. A worker that dies is replaced and its page retried once; ``close()`` waits for
the pages in flight, so no work is lost at shutdown. ``workers=0`` extracts inline (tests, debugging).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.items import Extracted, PageSnapshot
from crawler.pages import analyse
from crawler.procs import worker_init

LOGGER = logging.getLogger(__name__)


def _die_with_parent() -> None:
    """Worker initializer: on Linux, the kernel kills the worker when its parent (the pool's forkserver,
    which itself exits with the crawl) dies, so a ``kill -9`` of the crawl leaves no worker behind."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def default_workers() -> int:
    return os.cpu_count() or 1


class WorkerDied(Exception):
    """The worker process extracting a page died twice (the page is counted as failed, the crawl goes on)."""


class ExtractorPool:
    def __init__(self, workers: int | None = None, stats=None):
        self.workers = default_workers() if workers is None else workers
        self.stats = stats
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler) -> "ExtractorPool":
        """The crawl's pool (``BLOGCRAWL_EXTRACT_WORKERS``; default one per core), closed when the spider closes."""
        from scrapy import signals

        workers = crawler.settings.get("BLOGCRAWL_EXTRACT_WORKERS")
        pool = cls(None if workers in (None, "") else int(workers))
        pool.crawler = crawler
        crawler.signals.connect(pool._opened, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def _opened(self) -> None:
        self.stats = self.crawler.stats  # set when the crawl starts

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # forkserver: workers do not inherit the reactor, sockets or database connections
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["__main__", "crawler.forkserver_preload"])  # dies with the crawl (crawler/procs.py)
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=worker_init
            )
        return self._executor

    async def extract(self, snapshot: PageSnapshot, article: bool = True) -> Extracted:
        """``crawler.pages.analyse(snapshot, article)`` in a worker: the article (unless ``article`` is
        False: a listing), the page's links and its rendering signals, from one parse."""
        if self.workers <= 0:
            return analyse(snapshot, article)
        for attempt in (1, 2):
            pool = self._pool()
            try:
                return await asyncio.wrap_future(pool.submit(analyse, snapshot, article))
            except BrokenProcessPool:
                self._replace(pool)
                self._inc("extract/worker_died")
                LOGGER.warning("an extraction worker died on %s (attempt %d)", snapshot.url, attempt)
        raise WorkerDied(f"extraction worker died twice on {snapshot.url}")

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            self._executor = None
            broken.shutdown(wait=False, cancel_futures=False)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
