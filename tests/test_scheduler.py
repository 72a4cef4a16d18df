"""StoreScheduler: claimed requests, retries waiting for their time, and when the crawl may end."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.statscollectors import MemoryStatsCollector

from crawler.frontier import NOT_BEFORE
from crawler.frontier.store import StoreScheduler


class FakeFrontier:
    """The store's frontier with its pending URLs in a list; claims answer when ``answer()`` is called."""

    def __init__(self, pending: list[str]):
        self.pending = list(pending)
        self.claim_batch, self.max_pages, self.run_id, self.additions = 4, 0, 1, 0
        self.waiting = None

    def budget(self) -> int:
        return self.claim_batch

    def claim(self, limit, done) -> None:
        self.waiting = (limit, done)

    def answer(self) -> None:
        limit, done = self.waiting
        self.waiting = None
        rows, self.pending = self.pending[:limit], self.pending[limit:]
        done([SimpleNamespace(url=url) for url in rows], len(rows) < limit)

    def add(self, urls) -> None:
        self.pending += urls
        self.additions += 1


def scheduler(frontier: FakeFrontier, clock: list[float]) -> tuple[StoreScheduler, list]:
    crawler = SimpleNamespace(stats=MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False))), engine=None)
    sched = StoreScheduler(crawler, frontier)
    sched.open(SimpleNamespace(request_for=lambda row: Request(row.url)))
    wakes: list = []
    sched.call_later = lambda seconds, fn, *args: wakes.append(seconds)
    sched.clock = lambda: clock[0]
    return sched, wakes


def test_claims_in_batches_and_ends_when_the_store_is_drained():
    frontier = FakeFrontier([f"http://a.example/{i}" for i in range(5)])
    sched, _ = scheduler(frontier, [0.0])
    assert sched.has_pending_requests() and sched.next_request() is None  # a claim is under way
    frontier.answer()
    got = [sched.next_request() for _ in range(3)]
    assert [r.url for r in got] == [f"http://a.example/{i}" for i in range(3)]
    sched.next_request()
    frontier.answer()  # the second claim comes back short: the store is drained
    assert sched.next_request().url == "http://a.example/4"
    assert sched.next_request() is None and frontier.waiting is None
    assert not sched.has_pending_requests()
    frontier.add(["http://a.example/new"])  # a callback found a link: the store is read again
    assert sched.has_pending_requests()
    sched.next_request()
    frontier.answer()
    assert sched.next_request().url == "http://a.example/new"


def test_a_retry_waits_in_the_scheduler_until_its_time():
    clock = [100.0]
    frontier = FakeFrontier([])
    sched, wakes = scheduler(frontier, clock)
    sched.next_request()
    frontier.answer()
    retry = Request("http://a.example/retry", meta={NOT_BEFORE: 102.5})
    assert sched.enqueue_request(retry)
    assert wakes == [2.5]  # the engine is woken when it is due
    assert sched.next_request() is None and sched.has_pending_requests()
    clock[0] = 102.5
    assert sched.next_request() is retry
    assert not sched.has_pending_requests()
