"""The fleet's scheduler, dupefilter and request fingerprint, on scrapy-redis.

- ``CanonicalFingerprinter`` (``REQUEST_FINGERPRINTER_CLASS``): a request's fingerprint is its canonical
  URL key (``crawler.urls.canonicalize``), so tracking-parameter variants, ``/amp/`` and slash-less twins
  are one URL in every process.
- ``FleetDupeFilter``: scrapy-redis's Redis set of fingerprints, keyed per fleet, with that fingerprint.
- ``FleetScheduler``: scrapy-redis's scheduler with a reliable queue (``crawler.fleet.frontier``): the
  seen-check and the push are one atomic step, a pop takes a lease, and a request made from a leased one
  (a redirect, a retry) releases that lease in the step that queues it. A retry that must wait
  (``not_before`` in its meta: backoff, Retry-After) waits in this process, its lease kept (and
  extended by the heartbeat), and is queued when its time comes: a worker killed meanwhile loses
  nothing (the lease expires and the original request goes back to the queue). A popped archive of a
  site whose sitemaps answered in any process is dropped (its lease released), by the single crawl's
  rule (``crawler.discovery.policy.sitemap_covers``, crawler/fleet/sites.py). The crawl ends through
  Scrapy's own idle handling: when this engine is idle, ``spider_idle`` keeps it open while the fleet's
  queue holds requests or any process holds a lease, and closes it once the whole fleet has been idle for
  ``BLOGCRAWL_FLEET_IDLE_TIMEOUT`` seconds (checked every quarter second meanwhile).
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.discovery.policy import ARCHIVES_SKIPPED_STAT, sitemap_covers
from crawler.frontier import NOT_BEFORE
from crawler.scrapy_adapter import wake_engine
from crawler.urls import canonicalize, site_of

from .frontier import LEASE_META, RedisFrontier

LOGGER = logging.getLogger(__name__)


class CanonicalFingerprinter:
    """Request fingerprints from the canonical URL key (and the method, for anything but GET)."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def fingerprint(self, request) -> bytes:
        key = canonicalize(request.url)
        if request.method != "GET":
            key = f"{request.method} {key} {hashlib.sha1(request.body or b'').hexdigest()}"
        return hashlib.sha1(key.encode("utf-8")).digest()


class FleetDupeFilter(RFPDupeFilter):
    """The shared seen set (``<prefix>:seen``), by canonical URL."""

    def __init__(self, server, key, debug=False, fingerprinter=None):
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter or CanonicalFingerprinter()

    @classmethod
    def from_spider(cls, spider):
        crawler = spider.crawler
        frontier = RedisFrontier.for_crawler(crawler)
        fingerprinter = getattr(crawler, "request_fingerprinter", None) or CanonicalFingerprinter()
        return cls(frontier.server, frontier.keys.seen, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter)

    def request_fingerprint(self, request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason=""):
        """The seen set belongs to the fleet, not to this process: kept."""


class FleetScheduler(Scheduler):
    """scrapy-redis's Scheduler on the leased queue of ``RedisFrontier``."""

    @classmethod
    def from_crawler(cls, crawler):
        frontier = RedisFrontier.for_crawler(crawler)
        settings = crawler.settings
        scheduler = cls(
            server=frontier.server,
            persist=True,
            queue_key=frontier.keys.queue,
            queue_cls="scrapy_redis.queue.PriorityQueue",
            dupefilter_key=frontier.keys.seen,
            dupefilter_cls=settings.get("DUPEFILTER_CLASS") or "crawler.fleet.scheduler.FleetDupeFilter",
        )
        scheduler.stats = crawler.stats
        scheduler.frontier = frontier
        scheduler.crawler = crawler
        scheduler._delayed = []
        scheduler._order = itertools.count()
        scheduler.idle_timeout = settings.getfloat("BLOGCRAWL_FLEET_IDLE_TIMEOUT", 10.0)
        scheduler._idle_since = None
        frontier.server.ping()
        crawler.signals.connect(scheduler._idle, signal=signals.spider_idle)
        return scheduler

    def _idle(self, spider) -> None:
        """This engine has nothing to do: it stays open while the fleet may still give it work."""
        queued, leased = self.frontier.counts()
        now = time.monotonic()
        if queued or leased or self._delayed:
            self._idle_since = None
        elif self._idle_since is None:
            self._idle_since = now
        elif now - self._idle_since >= self.idle_timeout:
            LOGGER.info("frontier drained and nothing in flight for %.1fs: done", self.idle_timeout)
            return
        from twisted.internet import reactor

        reactor.callLater(0.1 if queued else 0.25, wake_engine, self.crawler)  # look again soon
        raise DontCloseSpider

    def has_pending_requests(self) -> bool:
        return bool(self._delayed) or super().has_pending_requests()

    def enqueue_request(self, request) -> bool:
        not_before = request.meta.get(NOT_BEFORE)
        wait = not_before - time.monotonic() if not_before else 0
        if wait > 0:
            token = request.meta.get(LEASE_META)
            if token:
                self.frontier.waiting.add(token)  # not released when the original request is done
            heapq.heappush(self._delayed, (not_before, next(self._order), request))
            from twisted.internet import reactor

            reactor.callLater(wait, wake_engine, self.crawler)
            return True
        return self._push(request)

    def _push(self, request) -> bool:
        request.meta.pop(NOT_BEFORE, None)
        release = request.meta.pop(LEASE_META, None)  # made from a leased request: that lease ends here
        self.frontier.waiting.discard(release)
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        added = self.frontier.push(data, -request.priority, fingerprint, release)
        if not added:
            self.df.log(request, self.spider)
            self.stats.inc_value("fleet/duplicate")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        while self._delayed and self._delayed[0][0] <= time.monotonic():
            self._push(heapq.heappop(self._delayed)[2])  # its time came: into the shared queue
        while True:
            popped = self.frontier.pop()
            if popped is None:
                return None
            token, data = popped
            request = self.queue._decode_request(data)
            if self._covered_by_sitemap(request):  # an archive of a site whose sitemaps answered: as in a single crawl
                self.frontier.release(token)
                self.stats.inc_value(ARCHIVES_SKIPPED_STAT)
                continue
            request.meta[LEASE_META] = token
            self.stats.inc_value("scheduler/dequeued/redis")
            return request

    def _covered_by_sitemap(self, request) -> bool:
        sites = getattr(getattr(self, "spider", None), "fleet_sites", None)
        return sites is not None and sitemap_covers(request.meta.get("kind", "page"), request.url, site_of(request.url), sites.sitemaps)
