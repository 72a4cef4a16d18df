"""How a finished crawl process ends the command: its exit code and the lines it prints, from the crawl's
close reason and stats. One mapping for ``blogcrawl crawl``, ``crawl --frontier`` and ``worker``:

- ``store_locked`` -> 75 (another crawl holds the store), ``shutdown`` (Ctrl-C, SIGTERM) -> 130,
  any other reason than ``finished`` -> 1 (``did not finish: REASON``);
- finished: one ``blogcrawl: SITE failed: REASON`` line per site none of whose pages answered
  (crawler/extensions/sitehealth.py), and exit 1 when that is every site of the crawl; 0 otherwise
  (some sites failed, others answered: the run finished, the lines name the dead ones).
"""

from __future__ import annotations

import sys

from crawler.commands import FAILED, INTERRUPTED, LOCKED, OK


def crawl_exit(crawler, sites: int, what: str, resumes: str | None = None) -> int:
    """The exit code of a crawl command whose Scrapy crawler has stopped. ``sites``: how many sites it
    crawled; ``what``: the crawl in messages (``crawl of sqlite:///x``); ``resumes``: the store, when an
    interrupted crawl resumes there."""
    try:
        reason = crawler.stats.get_value("finish_reason")
    except RuntimeError:  # the crawl failed before it started (its stats were never set)
        reason = None
    reason = reason or "failed to start (see the log above)"
    if reason == "store_locked":
        print(f"blogcrawl: {crawler.stats.get_value('blogcrawl/locked')}; not starting", file=sys.stderr)
        return LOCKED
    if reason == "shutdown":  # Ctrl-C or SIGTERM: Scrapy stopped the crawl cleanly
        where = f"; the next crawl of {resumes} resumes where this one stopped" if resumes else ""
        print(f"blogcrawl: interrupted{where}", file=sys.stderr)
        return INTERRUPTED
    if reason != "finished":
        print(f"blogcrawl: {what} did not finish: {reason}", file=sys.stderr)
        return FAILED
    return dead_sites(crawler.stats.get_stats(), sites)


def dead_sites(stats: dict, sites: int) -> int:
    """One line per site that failed (no page answered; crawler/extensions/sitehealth.py); exit 1 when
    every site failed. (Sites whose posts came back mostly empty or undated are in the summary line.)"""
    from crawler.extensions import sitehealth

    failed = sitehealth.failed_sites(stats)
    for site, why in failed.items():
        print(f"blogcrawl: {site} failed: {why}", file=sys.stderr)
    if failed and len(failed) >= sites:
        print("blogcrawl: every site failed; the run is marked failed", file=sys.stderr)
        return FAILED
    return OK
