"""When a later run reads again what a site without sitemaps showed before (pure: no store, no clock).

A site whose sitemaps answered in the last run tells which posts changed (``lastmod``); a site without
them does not, so at the start of each incremental run its known pages are queued again by this schedule
(all with conditional GET: a 304 costs a request and no extraction):

- listing pages (home pagination, category, tag, author and date archives) up to page ``LISTING_PAGES``:
  every run; links found there are new posts;
- a post whose newest date (published, or the modification date it states) is under ``RECENT`` old:
  every run; under ``MIDDLE`` old: once ``MIDDLE_EVERY``; older, or with no date: once ``OLD_EVERY``;
  a post whose last check found it changed: one step more often (monthly → weekly → every run);
- at most ``cap`` posts per site and run, the longest overdue first (the rest wait for the next run).

"Now" is the run's start (``BLOGCRAWL_NOW``, else the wall clock) and a post's last check is the start of
the run that last fetched it, so the schedule reads one clock and tests can move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crawler.urls import listing_page, looks_like_listing

RECENT, MIDDLE = timedelta(days=7), timedelta(days=60)
MIDDLE_EVERY, OLD_EVERY = timedelta(days=7), timedelta(days=30)
LISTING_PAGES = 2  # the first pages of each listing: where a new post shows
DEFAULT_CAP = 200  # posts re-checked per site and run


@dataclass(frozen=True, slots=True)
class Known:
    """A page a site showed before: its frontier key and URL, its dates (None: unknown), and when it was
    last fetched (the start of that run)."""

    url_key: str
    url: str
    site: str
    checked: datetime
    dated: datetime | None = None  # the newest of the post's published and modified dates
    is_post: bool = True  # an article is stored at it
    changed: bool = False  # its last fetch stored a new version


def every(dated: datetime | None, now: datetime, changed: bool = False) -> timedelta:
    """How often a post dated ``dated`` is checked again (``timedelta(0)``: every run); one step more
    often when its last check found it ``changed``."""
    steps = [timedelta(0), MIDDLE_EVERY, OLD_EVERY]
    age = None if dated is None else now - aware(dated)
    step = 2 if age is None or age >= MIDDLE else 0 if age < RECENT else 1
    return steps[max(step - changed, 0)]


def is_first_listing_page(url: str) -> bool:
    return looks_like_listing(url) and listing_page(url) <= LISTING_PAGES


def due(pages: list[Known], now: datetime, cap: int = DEFAULT_CAP) -> tuple[list[Known], list[Known]]:
    """(listing pages, posts) to read again in the run starting at ``now``: the first listing pages, and
    the posts due, at most ``cap`` per site (the longest overdue first)."""
    listings = [p for p in pages if not p.is_post and is_first_listing_page(p.url)]
    timed = [(p.checked + every(p.dated, now, p.changed), p) for p in pages if p.is_post]
    posts = sorted(((when, p) for when, p in timed if when <= now), key=lambda pair: (pair[0], pair[1].url_key))
    taken: dict[str, int] = {}
    chosen = []
    for _when, page in posts:
        if taken.get(page.site, 0) < cap:
            taken[page.site] = taken.get(page.site, 0) + 1
            chosen.append(page)
    return listings, chosen


def aware(value: datetime) -> datetime:
    """A naive date (a wall time a page gave without offset) read as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def parse_now(value: str | None) -> datetime | None:
    """``BLOGCRAWL_NOW`` (ISO 8601; naive means UTC) as an aware datetime; None when unset. Raises
    ``ValueError`` for anything else."""
    if value is None or not str(value).strip():
        return None
    return aware(datetime.fromisoformat(str(value).strip()))
