"""StoreRunExtension: the life of one ``blogcrawl crawl`` run over the store's frontier.

- ``spider_opened``: takes the store's crawl lock (``store_locked`` closes the crawl at once when another
  crawl holds it), then resumes the run a killed crawl left unfinished or starts an incremental one,
  with the spider's roots as seeds (``StoreFrontier.open_run``).
- every ``BLOGCRAWL_PROGRESS_INTERVAL`` seconds: the run's counters so far are saved (a killed run keeps
  what it did; a resumed run adds to them).
- ``spider_closed``: the run row gets its status (finished / interrupted; failed when no site answered,
  with the reason: each site's, from its root's frontier row, see crawler/extensions/sitehealth.py) and
  counters, every queued write is committed, the writer thread stops and the lock is released.

Enabled by ``BlogSpider.update_settings`` (with ``StoreScheduler``); a spider without ``roots`` is left
alone.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import CloseSpider
from twisted.internet import task

from crawler.frontier.store import StoreFrontier
from crawler.middlewares.store_faults import store_stop_reason
from pipelines.storage.faults import db_error
from crawler.snapshots import utcnow
from crawler.extensions import sitehealth
from pipelines.storage import frontier, runs
from pipelines.storage.lock import CrawlLock, StoreLocked

LOGGER = logging.getLogger(__name__)


class StoreRunExtension:
    lock_class = CrawlLock

    def __init__(self, crawler):
        self.crawler = crawler
        self.frontier = StoreFrontier.for_crawler(crawler)
        self.interval = crawler.settings.getfloat("BLOGCRAWL_PROGRESS_INTERVAL", 5.0)
        self._lock = None
        self._saver: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider) -> None:
        if not getattr(spider, "roots", None):
            return
        try:
            self._lock = self.lock_class(self.frontier.db.store.db_url).acquire()
        except StoreLocked as exc:
            self.crawler.stats.set_value("blogcrawl/locked", str(exc))
            raise CloseSpider("store_locked") from None
        try:
            self.open_run(spider)
        except Exception as exc:  # a store that cannot be written: one line, and the crawl closes
            reason = store_stop_reason(self.crawler, exc)
            if reason is None and db_error(exc) is None:
                raise
            reason = reason or f"store_error: {type(exc).__name__} opening the run"
            self.crawler.stats.inc_value("store/fatal")
            LOGGER.error("stopping the crawl: %s", reason)
            raise CloseSpider(reason) from None
        self.crawler.stats.set_value("blogcrawl/run_id", self.frontier.run_id)
        spider.run_id = self.frontier.run_id
        if self.interval > 0:
            self._saver = task.LoopingCall(self.save_progress)
            self._saver.start(self.interval, now=False)

    def open_run(self, spider) -> None:
        self.frontier.open_run(spider.roots, spider.seeds())

    def run_stats(self) -> dict:
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
        return runs.merge_stats(self.frontier.base_stats, stats)

    def save_progress(self) -> None:
        if self.frontier.run_id is not None:
            self.frontier.save_stats(self.run_stats())

    def failed_sites(self, spider, stats: dict) -> dict[str, str]:
        """``{site: reason}`` of the crawl's sites none of whose pages answered."""
        sites = sorted(set(spider.sites))
        if not sitehealth.unanswered_sites(sites, stats):
            return {}
        keys = {seed.site: seed.url_key for seed in spider.seeds()}

        def work(session):
            return sitehealth.site_failures(sites, stats, lambda site: frontier.get(session, keys[site]) if site in keys else None)

        return self.frontier.db.call(work)

    def spider_closed(self, spider, reason: str) -> None:
        if self._saver is not None and self._saver.running:
            self._saver.stop()
        db = self.frontier.db
        try:
            run_id = self.frontier.run_id
            if run_id is not None:
                status = runs.FINISHED if reason == "finished" else runs.INTERRUPTED
                stats, now = self.run_stats(), utcnow()
                failed = self.failed_sites(spider, stats) if reason == "finished" else {}
                sitehealth.record_failures(failed, stats, self.crawler.stats)
                status, why = sitehealth.run_outcome(status, failed, len(set(spider.sites)))
                db.call(lambda session: runs.end(session, run_id, status, now, stats, why))
        finally:
            db.close()
            db.store.close()  # the engine's connections (an in-process crawl must not leave the file open)
            if self._lock is not None:
                self._lock.release()
                self._lock = None
