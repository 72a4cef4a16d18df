"""FleetSpider: BlogSpider on a frontier shared by several processes (Redis) and a shared store.

The callbacks, extraction and pipelines are BlogSpider's; what changes is where requests come from and
go to. Discovered URLs are scheduled as requests into the fleet's Redis queue (``crawler.fleet``),
deduplicated by canonical URL in a Redis set shared by every process; each process pops requests under a
lease that it releases only once the request is fully processed (its items stored, its links queued).
A heartbeat keeps the leases of live processes; the leases of a dead one expire and any process puts
their requests back in the queue.

A process ends (``finished``, through Scrapy's idle handling: ``crawler.fleet.scheduler``) once the fleet's queue is empty and no lease is held anywhere for
``BLOGCRAWL_FLEET_IDLE_TIMEOUT`` seconds. ``seed=True`` (``blogcrawl crawl --frontier``) starts a new
crawl generation over the roots, or joins the running one; ``seed=False`` (``blogcrawl worker``) joins
with the roots read from Redis.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider
from twisted.internet import task

from crawler.discovery import wpapi
from crawler.fleet.frontier import LEASE_META, RedisFrontier
from crawler.extensions import sitehealth
from crawler.fleet.lock import SharedCrawlLock
from crawler.fleet.sites import SITEMAP, FleetSites
from crawler.scrapy_adapter import on_request_done
from crawler.snapshots import utcnow
from crawler.frontier import recheck, reststate
from crawler.frontier.store import due_for_recheck, finish_fetch
from crawler.urls import site_of
from pipelines.storage import articles, frontier, runs
from pipelines.storage.batch import BatchWriter
from pipelines.storage.frontier import NewUrl
from pipelines.storage.lock import StoreLocked
from pipelines.storage.models import CrawlRun

from .blog import RUN_EXTENSION, BlogSpider

LOGGER = logging.getLogger(__name__)

FLEET_SETTINGS = {
    "SCHEDULER": "crawler.fleet.scheduler.FleetScheduler",
    "DUPEFILTER_CLASS": "crawler.fleet.scheduler.FleetDupeFilter",
    "SCHEDULER_PERSIST": True,
    "REQUEST_FINGERPRINTER_CLASS": "crawler.fleet.scheduler.CanonicalFingerprinter",
}
FRONTIER_REDIRECT = "crawler.middlewares.frontier_redirect.FrontierRedirectMiddleware"
FLEET_REDIRECT = "crawler.fleet.redirect.FleetRedirectMiddleware"


class FleetFrontier:
    """BlogSpider's frontier calls, in a fleet: discovered URLs become requests of the shared scheduler
    (whose dupefilter drops those seen by any process); the roots' fetch outcomes are noted for the fleet
    (crawler/fleet/sites.py), and so are the sites whose sitemaps answered. A WordPress REST list that gave
    no posts list is remembered in the store as a single crawl does, and not asked while it is held
    (``wpapi.held``, read at the start).

    Every fetch is recorded on its store frontier row as a single crawl records it: claimed by this
    process's run when its response comes (``fetched``; the run's start is then the page's last check),
    finished with its outcome and validators (``finish``, or the article's write). So a new generation
    re-checks the known pages of sites without sitemaps on issue 17's schedule (``recheck``)."""

    def __init__(self, spider: "FleetSpider", db: BatchWriter):
        self.spider = spider
        self.db = db
        self.now = recheck.parse_now(spider.crawler.settings.get("BLOGCRAWL_NOW"))  # the run's clock (None: the wall clock)
        self.rest_held: set[str] = set()  # sites whose REST list is not asked in this run

    def hold_rest_lists(self) -> None:
        now, sites = self.now or utcnow(), sorted(set(self.spider.sites))
        self.rest_held = self.db.call(lambda session: reststate.held_sites(session, sites, now))

    def add(self, urls: list[NewUrl]) -> None:
        for new in {u.url_key: u for u in urls}.values():
            if new.site in self.rest_held and wpapi.is_posts_url(new.url):
                self.spider.crawler.stats.inc_value("frontier/rest_probes_held")
                continue
            self.spider.crawler.engine.crawl(self.spider.fleet_request(new))

    def rest_failed(self, site: str) -> None:
        reststate.remember_failure(self.db, site, self.now or utcnow())

    def rest_answered(self, site: str) -> None:
        """A WordPress REST list of ``site`` gave a posts list: a refusal held before is forgotten."""
        reststate.remember_answer(self.db, site)

    def aliases(self, urls: list[NewUrl]) -> None:
        pass

    def listed_in_sitemap(self, site: str, pages, newer) -> None:
        self.spider.fleet_sites.sitemaps.add(site)

    def add_hints(self, hints: dict[str, dict]) -> None:
        pass  # a new URL's hints ride on its request (fleet_request); a URL queued before keeps none

    def fetched(self, response, request, spider=None) -> None:
        """Scrapy's ``response_received``: the URL's store row is claimed by this run (sent before the
        response's outcome or article, which finish it)."""
        key = request.meta.get("frontier_key")
        if key is None:  # robots.txt
            return
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        new = NewUrl(key, url, site_of(url), request.meta.get("kind", "page"), request.meta.get("depth", 0),
                     request.meta.get("query_depth", 0), request.priority)
        run_id = self.spider.run_id
        self.db.send(lambda session: frontier.claim_fetched(session, [new], run_id))

    def finish(self, meta, state: str, *, status=None, error=None, headers=None, body_hash=None) -> None:
        self.spider.fleet_sites.root_fetched(meta, status, error)
        finish_fetch(self.db, meta, state, status=status, error=error, headers=headers, body_hash=body_hash)

    def recheck(self) -> list[Request]:
        """At the start of a generation: the conditional requests (``BlogSpider.request_for``) of the first
        listing pages and the posts due of the sites nothing else tells changed (``due_for_recheck``, as
        a single crawl), every other known page of theirs but the roots marked seen, so that links to it
        are not followed in this generation."""
        spider, now, sites = self.spider, self.now or utcnow(), sorted(set(self.spider.sites))
        answered = {site: {"lastmod": True} for site in spider.fleet.site_notes(SITEMAP, previous=True)}
        cap = spider.crawler.settings.getint("BLOGCRAWL_RECHECK_MAX", recheck.DEFAULT_CAP)
        roots = {seed.url_key for seed in spider.seeds()}  # fetched whole, as the generation's seeds

        def work(session):
            listings, posts, known = due_for_recheck(session, sites, answered, now, cap)
            listings, posts = ([p.url_key for p in pages if p.url_key not in roots] for pages in (listings, posts))
            return frontier.rows_of(session, listings + posts), len(posts), [p.url for p in known if p.url_key not in roots]

        rows, posts, known = self.db.call(work)
        fingerprint = spider.crawler.request_fingerprinter.fingerprint
        spider.fleet.mark_seen([fingerprint(Request(url)).hex() for url in known])
        stats = spider.crawler.stats
        stats.inc_value("frontier/listings_reread", len(rows) - posts)
        stats.inc_value("frontier/posts_rechecked", posts)
        return [spider.request_for(row) for row in rows]

    def gone(self, url_key: str) -> None:
        when = utcnow()
        self.db.send(lambda session: articles.mark_gone(session, url_key, when))


class FleetSpider(BlogSpider):
    name = "fleet"

    def __init__(self, url: str | None = None, urls: list[str] | None = None, *args, seed=True, **kwargs):
        super().__init__(url, urls, *args, **kwargs)
        self.seed = str(seed).lower() not in ("0", "false", "no")
        self._beat: task.LoopingCall | None = None
        self._lock = None
        self._base_stats: dict = {}
        self._saved_at = time.monotonic()

    @classmethod
    def update_settings(cls, settings) -> None:
        super().update_settings(settings)
        for name, value in FLEET_SETTINGS.items():
            settings.set(name, value, priority="spider")
        settings.set("EXTENSIONS", {**settings.getdict("EXTENSIONS"), RUN_EXTENSION: None}, priority="spider")
        middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        middlewares[FRONTIER_REDIRECT] = None  # the shared dupefilter checks redirect targets
        middlewares[FLEET_REDIRECT] = 650
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="spider")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.db = BatchWriter.for_crawler(crawler)
        spider.frontier = FleetFrontier(spider, spider.db)
        spider.fleet = RedisFrontier.for_crawler(crawler)
        spider.fleet_sites = FleetSites(spider.fleet, {seed.url_key: seed.site for seed in spider.seeds()})
        crawler.signals.connect(spider.fleet_sites.response_received, signal=signals.response_received)
        crawler.signals.connect(spider.frontier.fetched, signal=signals.response_received)
        crawler.signals.connect(spider.closed_run, signal=signals.spider_closed)
        return spider

    # -- the run -----------------------------------------------------------------------------------

    def open_run(self) -> None:
        """A run of its own per process, under the store lock shared by the fleet (not the exclusive one)."""
        try:
            self._lock = SharedCrawlLock(self.db.store.db_url).acquire()
        except StoreLocked as exc:
            self.crawler.stats.set_value("blogcrawl/locked", str(exc))
            raise CloseSpider("store_locked") from None
        roots, now = self.roots, self.frontier.now or utcnow()  # the run's clock: its pages' last check
        self.run_id = self.db.call(lambda session: runs.begin(session, roots, now).id)
        stats = self.crawler.stats
        stats.set_value("blogcrawl/run_id", self.run_id)
        stats.set_value("fleet/worker", self.fleet.worker_id)
        self.frontier.hold_rest_lists()

    def _run_stats(self) -> dict:
        stats = {k: v for k, v in self.crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
        return runs.merge_stats(self._base_stats, stats)

    def save_progress(self) -> None:
        stats, run_id = self._run_stats(), self.run_id
        self.db.send(lambda session: runs.save_stats(session, run_id, stats))

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
        try:
            if self.run_id is not None:
                status = runs.FINISHED if reason == "finished" else runs.INTERRUPTED
                stats, run_id, now = self._run_stats(), self.run_id, utcnow()
                failed = self._failed_sites() if reason == "finished" else {}
                sitehealth.record_failures(failed, stats, self.crawler.stats)
                status, why = sitehealth.run_outcome(status, failed, len(set(self.sites)))
                self.db.call(lambda session: runs.end(session, run_id, status, now, stats, why))
        finally:
            self.db.close()
            if self._lock is not None:
                self._lock.release()

    def _failed_sites(self) -> dict[str, str]:
        """The crawl's sites no page of which answered in any process (the fleet's crawl is over)."""
        try:
            return self.fleet_sites.failures(sorted(set(self.sites)))
        except Exception as exc:  # Redis gone: the run ends without the verdict
            LOGGER.warning("frontier unreachable: which sites failed is unknown: %r", exc)
            return {}

    async def start(self):
        self.open_run()
        fleet = self.fleet
        fleet.register({"host": socket.gethostname(), "pid": os.getpid(), "run_id": self.run_id, "seed": self.seed})
        on_request_done(self.crawler, lambda request: fleet.release(request.meta.get(LEASE_META)))
        self._beat = task.LoopingCall(self._heartbeat)
        self._beat.start(max(0.2, fleet.lease_ttl / 4), now=False)
        if self.seed:
            outcome, generation = fleet.begin(self.roots, utcnow().isoformat())
            self.crawler.stats.set_value("fleet/generation", generation)
            LOGGER.info("%s crawl %d of fleet %s", outcome, generation, fleet.keys.prefix)
            if outcome == "started":
                for request in self.frontier.recheck():
                    yield request
            for seed in self.seeds():
                yield self.fleet_request(seed)

    def _heartbeat(self) -> None:
        stats = self.crawler.stats
        if time.monotonic() - self._saved_at > 5:
            self._saved_at = time.monotonic()
            self.save_progress()
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

    def fleet_request(self, new: NewUrl) -> Request:
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed, "api": self.parse_feed}.get(new.kind, self.parse_page)
        return Request(
            new.url,
            callback=callback,
            errback=self.fetch_failed,
            priority=new.priority,
            meta={
                "frontier_key": new.url_key, "kind": new.kind, "depth": new.depth, "query_depth": new.query_depth,
                "handle_httpstatus_list": wpapi.handled_statuses(new.url), **self.rendering.request_meta(new.url, new.kind),
                **({"hints": new.hints} if new.hints else {}),
            },
        )
