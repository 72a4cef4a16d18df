"""BatchWriter: every database write of a crawl, off the event loop, grouped into few transactions.

One thread owns the crawl's writes. Callers hand it units of work (``work(session) -> result``):
``submit`` returns an asyncio future (awaited by pipelines and middlewares), ``send`` forgets the result
(errors are logged and reported to ``on_error``), ``call`` blocks until the result is there (start-up,
shutdown). The thread runs queued work in arrival order, as many units as arrive within ``max_wait``
seconds (at most ``max_batch``) in one transaction, then commits and resolves the futures on the loop.

Arrival order is what keeps the store consistent through a kill -9: the links a page yielded are sent
before its article, so they commit in the same transaction or an earlier one, and an article commits
with its frontier rows (``ArticleWriter.write`` is one unit).

A batch that fails is rolled back and its units run again one transaction each (``Store.run``: a lost
connection is retried on a fresh one), so one bad unit fails alone. Units must therefore be safe to run
again, and must not keep ORM objects beyond their transaction.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .store import Store

LOGGER = logging.getLogger(__name__)

_STOP = object()


class BatchWriter:
    def __init__(self, store: Store, *, max_batch: int = 200, max_wait: float = 0.1,
                 on_error: Callable[[BaseException], None] | None = None):
        self.store = store
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.on_error = on_error
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._pending = 0  # units submitted and not yet resolved
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.units = 0

    # -- the caller's side -------------------------------------------------------------------------

    def start(self) -> "BatchWriter":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="blogcrawl-db-writer", daemon=True)
            self._thread.start()
        return self

    @property
    def busy(self) -> bool:
        """True while some unit is queued or running."""
        return self._pending > 0

    def _put(self, work: Callable, future: Future | None, urgent: bool = False) -> None:
        self.start()
        with self._lock:
            self._pending += 1
        self._queue.put((work, future, urgent))

    def submit(self, work: Callable[[Any], Any], *, urgent: bool = False) -> asyncio.Future:
        """Runs ``work(session)`` in a coming batch; the returned asyncio future gets its result.
        ``urgent``: the batch is committed without waiting for more work (someone waits for the answer)."""
        future: Future = Future()
        self._put(work, future, urgent)
        return asyncio.wrap_future(future)

    def send(self, work: Callable[[Any], Any], then: Callable[[Any], None] | None = None) -> None:
        """Runs ``work(session)`` in a coming batch; ``then(result)`` is called on the event loop when it is
        committed. An error goes to the log and ``on_error`` (on the event loop when one is running)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._put(work, None)
            return
        self.submit(work).add_done_callback(lambda done: self._sent(done, then))

    def _sent(self, done: asyncio.Future, then) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if error is not None:
            self._report(error)
        elif then is not None:
            then(done.result())

    def _report(self, error: BaseException) -> None:
        LOGGER.error("a database write failed: %r", error)
        if self.on_error is not None:
            try:
                self.on_error(error)
            except Exception:  # noqa: BLE001
                LOGGER.exception("error handler of the database writer failed")

    def call(self, work: Callable[[Any], Any], timeout: float | None = None) -> Any:
        """Runs ``work(session)`` after everything queued before it and returns its result (blocking)."""
        if self._thread is not None and threading.current_thread() is self._thread:
            return work(self._session)  # from inside a unit: same transaction
        future: Future = Future()
        self._put(work, future, True)
        return future.result(timeout)

    def flush(self, timeout: float | None = None) -> None:
        """Waits until everything queued so far is committed."""
        if self._thread is not None:
            self.call(lambda session: None, timeout)

    def close(self, timeout: float | None = 60.0) -> None:
        """Commits what is queued, then stops the thread."""
        thread = self._thread
        if thread is None:
            return
        self._queue.put((_STOP, None, True))
        thread.join(timeout)
        self._thread = None

    # -- the writer thread -------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first[0] is _STOP:
                return
            batch = [first]
            deadline = time.monotonic() + self.max_wait
            stop, urgent = False, first[2]
            while len(batch) < self.max_batch:
                try:
                    wait = 0.0 if urgent else max(0.0, deadline - time.monotonic())
                    unit = self._queue.get(timeout=wait) if wait else self._queue.get_nowait()
                except queue.Empty:
                    break
                urgent = urgent or unit[2]
                if unit[0] is _STOP:
                    stop = True
                    break
                batch.append(unit)
            self._write(batch)
            if stop:
                return

    def _write(self, batch: list) -> None:
        self.batches += 1
        self.units += len(batch)
        try:
            results = self.store.run(lambda session: self._all(session, batch))
        except BaseException as exc:  # noqa: BLE001 - replayed one by one below
            if len(batch) == 1:
                self._resolve(batch[0], error=exc)
                return
            LOGGER.debug("a batch of %d writes failed (%r); writing them one by one", len(batch), exc)
            for unit in batch:
                try:
                    result = self.store.run(lambda session: self._one(session, unit))
                except BaseException as one_exc:  # noqa: BLE001
                    self._resolve(unit, error=one_exc)
                else:
                    self._resolve(unit, result=result)
            return
        for unit, result in zip(batch, results):
            self._resolve(unit, result=result)

    def _all(self, session, batch: list) -> list:
        return [self._one(session, unit) for unit in batch]

    def _one(self, session, unit):
        self._session = session
        try:
            return unit[0](session)
        finally:
            self._session = None

    def _resolve(self, unit, *, result=None, error: BaseException | None = None) -> None:
        future = unit[1]
        with self._lock:
            self._pending -= 1
        if future is not None:
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(result)
        elif error is not None:
            self._report(error)

    _session = None

    @classmethod
    def for_crawler(cls, crawler) -> "BatchWriter":
        """The crawler's writer (one per crawl), on ``Store.for_crawler``; closed when the crawl ends."""
        writer = getattr(crawler, "_blogcrawl_writer", None)
        if writer is None:
            settings = crawler.settings
            writer = cls(
                Store.for_crawler(crawler),
                max_batch=settings.getint("BLOGCRAWL_DB_BATCH", 200),
                max_wait=settings.getfloat("BLOGCRAWL_DB_BATCH_WAIT", 0.1),
                on_error=lambda exc: _write_failed(crawler, exc),
            )
            crawler._blogcrawl_writer = writer
        return writer


def _write_failed(crawler, exc: BaseException) -> None:
    """A write nobody waited for failed for good: a fatal store error stops the crawl (otherwise the
    fetch's row stays claimed, and the next run fetches it again)."""
    from crawler.middlewares.store_faults import stop_crawl, store_stop_reason

    crawler.stats.inc_value(f"store/write_error/{type(exc).__name__}")
    reason = store_stop_reason(crawler, exc)
    if reason is not None:
        stop_crawl(crawler, reason)
