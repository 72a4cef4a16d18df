"""The crawl frontier in the store, as Scrapy's scheduler.

``StoreFrontier`` (one per crawl, ``for_crawler``) is the run's view of the frontier table: it opens
or resumes the run (``open_run``, called by the run extension), adds discovered URLs, records fetch
outcomes and claims batches of pending URLs, every write through the crawl's batched writer thread.
A resumed run also learns what the killed one fetched and did not store (``replayable``: the response
journal, answered by ``crawler.middlewares.journal``); a new run empties the journal.
``StoreScheduler`` (``SCHEDULER``) serves Scrapy from it:

- ``next_request`` hands out claimed requests from memory and, when fewer than half a batch are left,
  asks the writer thread for the next batch without waiting for it (the engine is woken when it comes).
- ``enqueue_request`` takes requests made from claimed ones (redirect hops, retries, browser renders,
  re-fetches after a database error); a request whose meta holds ``not_before`` (a monotonic time: a
  retry's backoff, a server's Retry-After) waits in memory until then, holding no download slot.
- ``has_pending_requests`` is true while anything is in memory, a claim is under way, or the store may
  hold pending URLs (URLs were added since the last claim that came back short). So Scrapy's own idle
  handling ends the crawl; once, at the end, pages that this run's sitemaps no longer list are queued
  again (``spider_idle``), to learn whether they are gone.

A request is built from a frontier row by the spider (``spider.request_for(row)``).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import time
from collections import deque
from datetime import timedelta

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler.discovery import wpapi
from crawler.frontier import NOT_BEFORE, recheck, reststate
from crawler.scrapy_adapter import wake_engine
from crawler.snapshots import header, utcnow
from crawler.discovery.policy import ARCHIVE_SKIPPED, ARCHIVES_SKIPPED_STAT, sitemap_covers
from pipelines.storage import frontier, journal, runs, sitestate
from pipelines.storage.batch import BatchWriter

LOGGER = logging.getLogger(__name__)
# site_state: the last run whose sitemaps of the site answered, and whether they gave a lastmod
# ({"run": id, "lastmod": bool}; a value without "lastmod", written before it was kept, counts as one with)
SITEMAP_RUN = "sitemap_run"


class StoreFrontier:
    def __init__(self, crawler, db: BatchWriter):
        self.crawler = crawler
        self.db = db
        settings = crawler.settings
        self.claim_batch = settings.getint("BLOGCRAWL_CLAIM_BATCH", 64)
        self.max_pages = settings.getint("BLOGCRAWL_MAX_PAGES", 0)
        self.run_id: int | None = None
        self.resumed = False
        self.base_stats: dict = {}
        self.claimed = 0
        self.sitemap_sites: set[str] = set()  # sites whose sitemaps answered in this run
        self.sitemap_dated: set[str] = set()  # ... and gave some page a lastmod
        self.additions = 0  # URLs sent to the store that may be pending (a claim sees all sent before it)
        self.now = recheck.parse_now(settings.get("BLOGCRAWL_NOW"))  # the run's clock (None: the wall clock)
        self.recheck_cap = settings.getint("BLOGCRAWL_RECHECK_MAX", recheck.DEFAULT_CAP)
        # the journal entries a resumed run answers from the store (crawler/middlewares/journal.py); None
        # until the run is open
        self.replayable: journal.Replayable | None = None
        self.robots_max_age = timedelta(seconds=settings.getfloat("BLOGCRAWL_JOURNAL_ROBOTS_MAX_AGE", 3600))

    @classmethod
    def for_crawler(cls, crawler) -> "StoreFrontier":
        found = getattr(crawler, "_blogcrawl_frontier", None)
        if found is None:
            found = crawler._blogcrawl_frontier = cls(crawler, BatchWriter.for_crawler(crawler))
        return found

    # -- the run -----------------------------------------------------------------------------------

    def open_run(self, roots: list[str], seeds: list[frontier.NewUrl]) -> None:
        """Resumes the run a killed crawl left unfinished (same roots), or starts an incremental one."""
        root_keys = sorted(s.url_key for s in seeds)

        def work(session) -> None:
            previous = runs.unfinished(session)
            if previous is not None and set(previous.roots) == set(roots):
                self.run_id, self.resumed = previous.id, True
                self.base_stats = dict(previous.stats or {})
                released = frontier.release_claims(session)
                answered = {site: value for site, value in sitestate.load(session, SITEMAP_RUN).items()
                            if value.get("run") == previous.id}  # policy state of the killed process
                self.sitemap_sites = set(answered)
                self.sitemap_dated = {site for site, value in answered.items() if value.get("lastmod", True)}
                self.replayable = journal.replayable(session, utcnow() - self.robots_max_age)
                LOGGER.info("resuming run %d (%d in-flight URLs back to pending, %d pages journaled)",
                            previous.id, released, len(self.replayable.pages))
            else:
                if previous is not None:
                    runs.end(session, previous.id, runs.INTERRUPTED, utcnow(), previous.stats)
                journal.clear(session)  # responses of a run that is over are not this run's
                self.replayable = journal.Replayable()
                frontier.requeue_for_new_run(session, root_keys)
                previous_id = runs.latest_id(session)
                now = self.now or utcnow()
                self.run_id = runs.begin(session, roots, now).id
                self._recheck(session, sorted({s.site for s in seeds}), previous_id, now)
                self._hold_rest_lists(session, sorted({s.site for s in seeds}), now)
            frontier.add_urls(session, seeds, self.run_id)

        self.db.call(work)
        self.additions += 1

    def _recheck(self, session, sites: list[str], previous_id: int | None, now) -> None:
        """Queues again the first listing pages and the posts due (``crawler.frontier.recheck``) of the
        sites whose sitemaps did not answer in the last run and that answer no WordPress REST posts list:
        nothing else tells that they changed. A site whose sitemaps answered without any ``lastmod`` gets
        its posts re-checked too (the sitemap names its new posts, not its edits), not its listings."""
        if previous_id is None:
            return
        answered = {site: value for site, value in sitestate.load(session, SITEMAP_RUN, sites).items()
                    if value.get("run") == previous_id}
        listings, posts, _known = due_for_recheck(session, sites, answered, now, self.recheck_cap)
        stats = self.crawler.stats
        stats.inc_value("frontier/listings_reread", frontier.requeue(session, [p.url_key for p in listings]))
        stats.inc_value("frontier/posts_rechecked", frontier.requeue(session, [p.url_key for p in posts]))

    def _hold_rest_lists(self, session, sites: list[str], now) -> None:
        """The WordPress REST lists of sites whose list gave no posts list less than ``wpapi.ASK_AGAIN``
        ago are not asked in this run (left skipped)."""
        held = sorted(reststate.held_sites(session, sites, now))
        keys = [key for key, url in frontier.feeds_of(session, held) if wpapi.is_posts_url(url)]
        self.crawler.stats.inc_value("frontier/rest_probes_held", frontier.skip_pending(session, keys))

    # -- writes ------------------------------------------------------------------------------------

    def rest_failed(self, site: str) -> None:
        """A WordPress REST list of ``site`` gave no posts list: remembered with the run's clock."""
        reststate.remember_failure(self.db, site, self.now or utcnow())

    def rest_answered(self, site: str) -> None:
        """A WordPress REST list of ``site`` gave a posts list: a refusal held before is forgotten."""
        reststate.remember_answer(self.db, site)

    def add(self, urls: list[frontier.NewUrl]) -> None:
        if not urls:
            return
        run_id = self.run_id
        self.additions += 1
        self.db.send(lambda session: frontier.add_urls(session, urls, run_id), self._counter("frontier/added"))

    def aliases(self, urls: list[frontier.NewUrl]) -> None:
        """URLs known to lead to a page at hand (a post's rel=shortlink): recorded, never fetched."""
        if not urls:
            return
        run_id = self.run_id
        self.db.send(lambda session: frontier.mark_aliases(session, urls, run_id), self._counter("frontier/shortlinks_skipped"))

    def listed_in_sitemap(self, site: str, pages: list[frontier.NewUrl], newer) -> None:
        """This run's sitemap of ``site`` lists these pages: changed ones are queued again. That the site's
        sitemaps answered is policy state (its archives are skipped): kept in the store, for a resume."""
        dated = site not in self.sitemap_dated and any(page.lastmod for page in pages)
        first = site not in self.sitemap_sites or dated
        self.sitemap_sites.add(site)
        if dated:
            self.sitemap_dated.add(site)
        run_id, value = self.run_id, {"run": self.run_id, "lastmod": site in self.sitemap_dated}
        self.additions += 1

        def work(session) -> int:
            if first:  # the first listing of the run, or the first with a lastmod
                sitestate.save(session, site, SITEMAP_RUN, value)
            return frontier.refresh_from_sitemap(session, pages, run_id, newer)

        self.db.send(work, self._counter("frontier/sitemap_changed"))

    def add_hints(self, hints: dict[str, dict]) -> None:
        """Discovery's hints for URLs (``{url_key: {"published": ISO}}``), kept on their frontier rows."""
        if hints:
            self.additions += 1  # a page fetched before its feed, dropped for want of a date, is queued again
            self.db.send(lambda session: frontier.record_hints(session, hints), self._counter("frontier/hints"))

    def finish(self, meta, state: str, *, status=None, error=None, headers=None, body_hash=None) -> None:
        """Records the outcome of a fetch on every frontier row it answered (the URL and its redirects)."""
        finish_fetch(self.db, meta, state, status=status, error=error, headers=headers, body_hash=body_hash)

    def gone(self, url_key: str) -> None:
        from pipelines.storage import articles

        when = utcnow()
        self.db.send(lambda session: articles.mark_gone(session, url_key, when))

    def save_stats(self, stats: dict) -> None:
        run_id = self.run_id
        self.db.send(lambda session: runs.save_stats(session, run_id, stats))

    def _counter(self, key: str):
        return lambda n: self.crawler.stats.inc_value(key, n) if n else None

    # -- claims ------------------------------------------------------------------------------------

    def claim(self, limit: int, done) -> None:
        """Claims up to ``limit`` pending URLs in the writer thread; ``done(rows, short)`` on the event loop
        (``short``: the store had no more pending URLs than those, as of every addition sent before)."""
        run_id, sitemap_sites = self.run_id, set(self.sitemap_sites)

        def work(session):
            rows = frontier.claim(session, limit, run_id)
            skip = [r for r in rows if sitemap_covers(r.kind, r.url, r.site, sitemap_sites)]
            if skip:  # taxonomy and date archives of a site whose sitemaps list its posts: the same posts again
                for row in skip:
                    frontier.finish(session, row.url_key, frontier.SKIPPED, error=ARCHIVE_SKIPPED)
            return [r for r in rows if r not in skip], len(skip), len(rows) < limit

        def claimed(result) -> None:
            rows, skipped, short = result
            self.claimed += len(rows)
            if skipped:
                self.crawler.stats.inc_value(ARCHIVES_SKIPPED_STAT, skipped)
            done(rows, short)

        self.db.send(work, claimed)

    def budget(self) -> int:
        """How many more URLs may be claimed (``BLOGCRAWL_MAX_PAGES``)."""
        limit = self.claim_batch
        if self.max_pages:
            limit = min(limit, self.max_pages - self.claimed)
        return max(limit, 0)

    def requeue_dropped(self) -> int:
        """Pages an earlier run's sitemaps listed and this run's do not: fetched again (gone, usually)."""
        run_id, sites = self.run_id, sorted(self.sitemap_sites)
        n = self.db.call(lambda session: frontier.requeue_dropped_from_sitemaps(session, run_id, sites))
        self.crawler.stats.inc_value("frontier/dropped_from_sitemap", n)
        if n:
            self.additions += 1
        return n


class StoreScheduler:
    def __init__(self, crawler, frontier_: StoreFrontier):
        self.crawler = crawler
        self.frontier = frontier_
        self.spider = None
        self._claimed: deque = deque()  # requests of claimed rows, best first
        self._ready: deque = deque()  # requests made from claimed ones (redirects, renders, re-fetches)
        self._delayed: list = []  # (not_before, n, request): retries waiting for their time
        self._order = itertools.count()
        self.clock = time.monotonic
        self._claiming = False
        self._store_may_have_more = True
        self._seen_additions = -1  # frontier.additions as of the last claim
        self._dropped_checked = False
        self._exhausted = False

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = cls(crawler, StoreFrontier.for_crawler(crawler))
        crawler.signals.connect(scheduler._idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider) -> None:
        self.spider = spider

    def close(self, reason: str) -> None:
        """Claimed requests not sent stay claimed in the store: the next run fetches them."""
        self._claimed.clear()
        self._ready.clear()
        self._delayed.clear()

    def __len__(self) -> int:
        return len(self._claimed) + len(self._ready) + len(self._delayed)

    def has_pending_requests(self) -> bool:
        return bool(self._claimed or self._ready or self._delayed or self._claiming or self._store_pending())

    def _store_pending(self) -> bool:
        """The store may hold pending URLs for this run: the last claim came back full, or URLs were added since."""
        if self._exhausted or self.frontier.run_id is None:
            return False
        return self._store_may_have_more or self._seen_additions != self.frontier.additions

    def enqueue_request(self, request) -> bool:
        not_before = request.meta.get(NOT_BEFORE)
        wait = not_before - self.clock() if not_before else 0
        if wait > 0:
            heapq.heappush(self._delayed, (not_before, next(self._order), request))
            self._wake_in(wait)
        else:
            self._ready.append(request)
        self.crawler.stats.inc_value("scheduler/enqueued")
        return True

    def next_request(self):
        request = self._next()
        if request is not None:
            self.crawler.stats.inc_value("scheduler/dequeued")
        return request

    def _next(self):
        if self._delayed and self._delayed[0][0] <= self.clock():
            return heapq.heappop(self._delayed)[2]
        if self._ready:
            return self._ready.popleft()
        if len(self._claimed) < self.frontier.claim_batch // 2:
            self._claim()
        return self._claimed.popleft() if self._claimed else None

    def _claim(self) -> None:
        if self._claiming or not self._store_pending():
            return
        limit = self.frontier.budget()
        self._seen_additions = self.frontier.additions
        if limit <= 0:
            if self._store_may_have_more:
                LOGGER.info("page budget of %d reached", self.frontier.max_pages)
            self._exhausted = True  # nothing more is claimed, whatever is added
            return
        self._claiming = True
        self._store_may_have_more = False  # until this claim says otherwise (or URLs are added)
        self.frontier.claim(limit, self._claimed_rows)

    def _claimed_rows(self, rows, short: bool) -> None:
        self._claiming = False
        self._store_may_have_more = not short
        if self.spider is not None:
            self._claimed.extend(self.spider.request_for(row) for row in rows)
        wake_engine(self.crawler)

    def _wake_in(self, seconds: float) -> None:
        self.call_later(seconds, wake_engine, self.crawler)

    @staticmethod
    def call_later(seconds: float, fn, *args) -> None:
        from twisted.internet import reactor

        reactor.callLater(seconds, fn, *args)

    def _idle(self, spider) -> None:
        """At the end, once: pages this run's sitemaps dropped are fetched again (to learn they are gone)."""
        if self._dropped_checked or self._exhausted or self.frontier.run_id is None:
            return
        self._dropped_checked = True
        if self.frontier.requeue_dropped():
            self._store_may_have_more = True
            self._claim()
            raise DontCloseSpider


def due_for_recheck(session, sites: list[str], answered: dict[str, dict], now, cap: int):
    """``(listings, posts, known)`` of issue 17's re-check at a run's start: ``known``, the fetched pages
    of ``sites`` that nothing else tells changed (not a site whose sitemaps, in ``answered`` as
    ``{site: {"lastmod": bool}}``, gave a lastmod, nor one answering a WordPress REST posts list), and of
    them the first listing pages (of sites not in ``answered``) and the posts due (``recheck.due``)."""
    told = {site for site, value in answered.items() if value.get("lastmod", True)}
    told |= {site for site, url in frontier.answered_feeds(session, sites) if wpapi.is_posts_url(url)}  # WordPress REST
    known = [recheck.Known(key, url, site, checked, _newest(published, modified), stored, bool(changed))
             for key, url, site, checked, published, modified, stored, changed
             in frontier.fetched_pages(session, [s for s in sites if s not in told])]
    listings, posts = recheck.due(known, now, cap)
    listings = [page for page in listings if page.site not in answered]  # new posts: in the sitemap
    return listings, posts, known


def finish_fetch(db: BatchWriter, meta, state: str, *, status=None, error=None, headers=None, body_hash=None) -> None:
    """Records the outcome of a fetch on every frontier row it answered (the URL and its redirects): its
    state, status, validators and time (through ``db``, the crawl's writer)."""
    keys = list(meta.get("frontier_keys") or [meta["frontier_key"]])
    etag = header(headers, b"ETag") if headers is not None else None
    last_modified = header(headers, b"Last-Modified") if headers is not None else None
    fetched_at = utcnow() if status is not None else None

    def work(session) -> None:
        for key in keys:
            frontier.finish(session, key, state, status=status, error=error, etag=etag,
                            last_modified=last_modified, fetched_at=fetched_at, body_hash=body_hash)

    db.send(work)


def _newest(*dates):
    found = [recheck.aware(d) for d in dates if d is not None]
    return max(found) if found else None
