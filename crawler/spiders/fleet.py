"""FleetSpider: BlogSpider on a frontier shared by several processes (Redis) and a shared store.

The callbacks, extraction and pipelines are BlogSpider's; what changes is where requests come from and
go to. Discovered URLs are scheduled as requests into the fleet's Redis queue (``crawler.fleet``),
deduplicated by canonical URL in a Redis set shared by every process; each process pops requests under a
lease that it releases only once the request is fully processed (its items stored, its links queued).
A heartbeat keeps the leases of live processes; the leases of a dead one expire and any process puts
their requests back in the queue.

A process ends (``finished``) once the fleet's queue is empty and no lease is held anywhere for
``BLOGCRAWL_FLEET_IDLE_TIMEOUT`` seconds. ``seed=True`` (``blogcrawl crawl --frontier``) starts a new
crawl generation over the roots, or joins the running one; ``seed=False`` (``blogcrawl worker``) joins
with the roots read from Redis.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

from scrapy import Request
from scrapy.exceptions import CloseSpider
from twisted.internet import task

from crawler.fleet.frontier import LEASE_META, RedisFrontier
from crawler.fleet.lock import SharedCrawlLock
from crawler.snapshots import utcnow
from pipelines.storage import runs
from pipelines.storage.frontier import NewUrl
from pipelines.storage.lock import StoreLocked
from pipelines.storage.models import CrawlRun

from .blog import BlogSpider

LOGGER = logging.getLogger(__name__)

FLEET_SETTINGS = {
    "SCHEDULER": "crawler.fleet.scheduler.FleetScheduler",
    "DUPEFILTER_CLASS": "crawler.fleet.scheduler.FleetDupeFilter",
    "SCHEDULER_PERSIST": True,
    "REQUEST_FINGERPRINTER_CLASS": "crawler.fleet.scheduler.CanonicalFingerprinter",
}
FRONTIER_REDIRECT = "crawler.middlewares.frontier_redirect.FrontierRedirectMiddleware"
FLEET_REDIRECT = "crawler.fleet.redirect.FleetRedirectMiddleware"


class FleetSpider(BlogSpider):
    name = "fleet"

    def __init__(self, url: str | None = None, urls: list[str] | None = None, *args, seed=True, **kwargs):
        super().__init__(url, urls, *args, **kwargs)
        self.seed = str(seed).lower() not in ("0", "false", "no")
        self._beat: task.LoopingCall | None = None

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        for name, value in FLEET_SETTINGS.items():
            settings.set(name, value, priority="spider")
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares[FRONTIER_REDIRECT] = None  # the shared dupefilter checks redirect targets
        middlewares[FLEET_REDIRECT] = 650
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.fleet = RedisFrontier.for_crawler(crawler)
        spider.idle_timeout = crawler.settings.getfloat("BLOGCRAWL_FLEET_IDLE_TIMEOUT", 10.0)
        return spider

    # -- the run -----------------------------------------------------------------------------------

    def open_run(self) -> None:
        """A run of its own per process, under the store lock shared by the fleet (not the exclusive one)."""
        try:
            self._lock = SharedCrawlLock(self.store.db_url).acquire()
        except StoreLocked as exc:
            self.crawler.stats.set_value("blogcrawl/locked", str(exc))
            raise CloseSpider("store_locked") from None
        self.extractor.stats = self.crawler.stats
        self._base_stats = {}
        roots = self.roots
        self.run_id = self.db.call(lambda session: runs.begin(session, roots, utcnow()).id)
        stats = self.crawler.stats
        stats.set_value("blogcrawl/run_id", self.run_id)
        stats.set_value("fleet/worker", self.fleet.worker_id)

    def closed_run(self, spider, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        try:
            if reason == "finished":
                if self.fleet.mark_done(utcnow().isoformat()):
                    LOGGER.info("the fleet's crawl is over (frontier drained)")
            else:
                given_back = self.fleet.requeue_held()  # no need to wait for the leases to expire
                self.crawler.stats.set_value("fleet/leases_given_back", given_back)
            self.fleet.unregister()
        except Exception as exc:  # Redis gone: the leases expire and other workers take them over
            LOGGER.warning("frontier unreachable while closing: %r", exc)
        super().closed_run(spider, reason)

    async def start(self):
        self.open_run()
        fleet = self.fleet
        fleet.register({"host": socket.gethostname(), "pid": os.getpid(), "run_id": self.run_id, "seed": self.seed})
        self._watch_releases()
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(max(0.2, fleet.lease_ttl / 4), now=False)
        if self.seed:
            outcome, generation = fleet.begin(self.roots, utcnow().isoformat())
            self.crawler.stats.set_value("fleet/generation", generation)
            LOGGER.info("%s crawl %d of fleet %s", outcome, generation, fleet.keys.prefix)
            for root in self.roots:
                yield self._fleet_request(self._new(root, "root", kind="page"))
        await self._work_until_drained()

    async def _work_until_drained(self) -> None:
        """Keeps the engine pulling from the shared queue; returns once the whole fleet is idle for
        ``idle_timeout`` seconds (nothing queued, no lease anywhere, nothing in this engine)."""
        loop = asyncio.get_running_loop()
        engine = self.crawler.engine
        idle_since = None
        saved_at = loop.time()
        while True:
            now = loop.time()
            if now - saved_at > 5:
                self.save_progress()
                saved_at = now
            queued, leased = self.fleet.counts()
            if queued and not engine.needs_backout():
                engine._slot.nextcall.schedule()  # work pushed by other processes: pull it now
            if queued or leased or not self._engine_idle():
                idle_since = None
            elif idle_since is None:
                idle_since = now
            elif now - idle_since >= self.idle_timeout:
                LOGGER.info("frontier drained and nothing in flight for %.1fs: done", self.idle_timeout)
                return
            await asyncio.sleep(0.1 if queued else 0.25)

    def _watch_releases(self) -> None:
        """Releases a request's lease when the engine is done with it: after its callback's items went
        through the pipelines and its requests were queued, or after the request it became (a redirect,
        a retry) was queued. Scrapy has no signal for that moment, so the engine slot's
        ``remove_request`` is wrapped."""
        slot = self.crawler.engine._slot
        remove = slot.remove_request

        def remove_request(request):
            try:
                remove(request)
            finally:
                self.fleet.release(request.meta.get(LEASE_META))

        slot.remove_request = remove_request

    def _heartbeat(self) -> None:
        stats = self.crawler.stats
        try:
            self.fleet.beat()
            self.fleet.extend()
            requeued = self.fleet.requeue_expired()
            if requeued:
                stats.inc_value("fleet/leases_requeued", len(requeued))
                LOGGER.warning("%d requests of lost workers back in the queue", len(requeued))
            for lost in self.fleet.lost_workers():
                stats.inc_value("fleet/workers_lost")
                LOGGER.warning("worker %s stopped without closing (pid %s on %s)", lost["worker"], lost.get("pid"), lost.get("host"))
                self._interrupt_run(lost.get("run_id"))
        except Exception as exc:  # keep beating: a Redis or database hiccup must not stop the heartbeat
            stats.inc_value(f"fleet/heartbeat_error/{type(exc).__name__}")
            LOGGER.warning("fleet heartbeat: %r", exc)

    def _interrupt_run(self, run_id: int | None) -> None:
        if run_id is None:
            return
        def interrupt(session) -> None:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.status == runs.RUNNING:
                runs.end(session, run_id, runs.INTERRUPTED, utcnow(), dict(run.stats or {}))

        self.db.send(interrupt)

    # -- the frontier ------------------------------------------------------------------------------

    def _fleet_request(self, new: NewUrl) -> Request:
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(new.kind, self.parse_page)
        return Request(
            new.url,
            callback=callback,
            errback=self.fetch_failed,
            priority=new.priority,
            meta={
                "frontier_key": new.url_key, "kind": new.kind, "depth": new.depth, "query_depth": new.query_depth,
                "handle_httpstatus_list": [304], **self.rendering.request_meta(new.url, new.kind),
            },
        )

    def enqueue(self, urls: list[NewUrl]) -> None:
        """Discovered URLs go to the shared queue; the shared dupefilter drops those seen by any process."""
        accepted = {u.url_key: u for u in urls if self._accept(u)}
        for new in accepted.values():
            self.crawler.engine.crawl(self._fleet_request(new))

    def _finish(self, response_or_request, state: str, **kwargs) -> None:
        """No frontier rows in the store in fleet mode: the lease's release records the fetch."""
