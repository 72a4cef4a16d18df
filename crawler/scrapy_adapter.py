"""The only module that touches private Scrapy attributes, pinned to the Scrapy versions it was read from.

- ``wake_engine(crawler)``: asks the engine to pull from its scheduler now. Scrapy polls a scheduler
  that said it has pending requests but returned none only every 5 s (``_SLOT_HEARTBEAT_INTERVAL``); a
  scheduler whose requests arrive from a database thread, a timer (retry delays) or other processes
  (the fleet) calls this when they do. Public equivalent: none (``engine.crawl`` needs a request).
- ``on_request_done(crawler, hook)``: calls ``hook(request)`` when the engine is done with a request
  (its callback's items went through the pipelines, its requests were scheduled): the fleet releases
  the request's lease then. Public equivalent: none (no signal at that moment).

- ``pending_robots(middleware, netloc)``: the Deferred that Scrapy's RobotsTxtMiddleware keeps for a site
  while its robots.txt is being fetched (``_parsers``), or None (crawler/middlewares/robotstxt.py gives
  each waiting request its own copy of the result). Public equivalent: none.

On another Scrapy version all of these still work when the attributes exist; else they log once and do
nothing (the crawl then relies on Scrapy's heartbeat, and fleet leases expire instead of being released).
"""

from __future__ import annotations

import logging

import scrapy

LOGGER = logging.getLogger(__name__)
TESTED = ("2.13", "2.14", "2.15", "2.16", "2.17", "2.18", "2.19")  # engine._slot.nextcall / remove_request
_warned: set[str] = set()


def _slot(crawler):
    engine = getattr(crawler, "engine", None)
    slot = getattr(engine, "_slot", None)
    if slot is None and "slot" not in _warned and engine is not None and getattr(engine, "running", False):
        _warned.add("slot")
        LOGGER.warning("Scrapy %s: no engine slot (tested with %s)", scrapy.__version__, ", ".join(TESTED))
    return slot


def wake_engine(crawler) -> None:
    slot = _slot(crawler)
    nextcall = getattr(slot, "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()


def on_request_done(crawler, hook) -> bool:
    slot = _slot(crawler)
    remove = getattr(slot, "remove_request", None)
    if remove is None:
        return False

    def remove_request(request):
        try:
            remove(request)
        finally:
            hook(request)

    slot.remove_request = remove_request
    return True


if ".".join(scrapy.__version__.split(".")[:2]) not in TESTED:  # pragma: no cover
    LOGGER.warning("crawler.scrapy_adapter was written for Scrapy %s, not %s", ", ".join(TESTED), scrapy.__version__)


def pending_robots(middleware, netloc: str):
    """The Deferred standing for ``netloc``'s robots.txt while it is fetched, else None."""
    from twisted.internet.defer import Deferred

    parsers = getattr(middleware, "_parsers", None)
    if parsers is None:
        if "parsers" not in _warned:
            _warned.add("parsers")
            LOGGER.warning("Scrapy %s: RobotsTxtMiddleware._parsers not found; requests waiting for a robots.txt "
                           "rely on Scrapy's own handling", scrapy.__version__)
        return None
    pending = parsers.get(netloc)
    return pending if isinstance(pending, Deferred) else None
