"""ProgressLine: on a terminal, a live line while a crawl runs — pages done, rate, queue left, new
articles, ETA — drawn by tqdm on standard error and refreshed every ``INTERVAL`` seconds.

Never when standard error is not a terminal (cron, a pipe, a log file: nothing is drawn), nor when
``BLOGCRAWL_PROGRESS`` is false. The figures come from the crawl's stats and, for the queue, from the
store's frontier (pending and in-flight URLs), counted every few refreshes."""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.extensions.counters import counters

LOGGER = logging.getLogger(__name__)
INTERVAL = 0.5  # seconds between refreshes (the line moves at least once a second)
QUEUE_EVERY = 2  # refreshes between two counts of the queue in the store


class ProgressLine:
    def __init__(self, crawler, stream):
        self.crawler = crawler
        self.stream = stream
        self.bar = None
        self._loop = None
        self._ticks = 0
        self._queue: int | None = None

    @classmethod
    def from_crawler(cls, crawler, stream=None):
        stream = stream or sys.stderr
        if not crawler.settings.getbool("BLOGCRAWL_PROGRESS", True) or not _isatty(stream):
            raise NotConfigured  # no message: Scrapy would log it as a warning
        extension = cls(crawler, stream)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider) -> None:
        from tqdm import tqdm
        from twisted.internet import task

        self.bar = tqdm(
            total=None, file=self.stream, unit="page", leave=False, ncols=_columns(), nrows=24, mininterval=0,
            bar_format="{n_fmt} pages | {rate_fmt} | {desc} | ETA {remaining}",
        )
        self.bar.set_description_str("queue ? | 0 new", refresh=False)
        self._loop = task.LoopingCall(self.refresh)
        self._loop.start(INTERVAL, now=True)

    def queue_left(self) -> int | None:
        """Pending and in-flight URLs in the store's frontier (None when it cannot be counted)."""
        try:
            from pipelines.storage import frontier
            from pipelines.storage.store import Store

            store = Store.for_crawler(self.crawler)
            with store.sessions() as session:
                states = frontier.count_by_state(session)
            return states.get(frontier.PENDING, 0) + states.get(frontier.CLAIMED, 0)
        except Exception:  # a fleet's frontier is in Redis; a busy store: the line goes on without it
            return self._queue

    def refresh(self) -> None:
        if self.bar is None:
            return
        if self._ticks % QUEUE_EVERY == 0:
            self._queue = self.queue_left()
        self._ticks += 1
        c = counters(self.crawler.stats.get_stats())
        bar = self.bar
        bar.n = c["pages"]
        bar.total = c["pages"] + self._queue if self._queue is not None else None
        queue = "?" if self._queue is None else self._queue
        bar.set_description_str(f"queue {queue} | {c['new']} new", refresh=False)
        bar.last_print_t = time.time()
        bar.refresh()

    def spider_closed(self, spider, reason) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self.bar is not None:
            self.bar.close()  # leave=False: the line is erased, the summary takes its place
            self.bar = None


def _columns() -> int:
    """The terminal's width; 100 when it reports none (a fresh pseudo-terminal says 0 columns, and 0
    rows, which would make tqdm draw nothing: ``nrows`` is given too)."""
    import shutil

    columns = shutil.get_terminal_size((100, 24)).columns
    return columns if columns >= 40 else 100


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
