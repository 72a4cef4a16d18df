"""RunSummary: one line when a crawl ends — sites, pages fetched, new, changed, unchanged, gone, errors,
duration, and the sites whose posts came back mostly empty or undated (``sitehealth.flagged``) — read
from the crawl's stats.

The line is logged (INFO: in ``--log-file`` and under ``-v``) and, when nobody would see that log,
printed on standard error only if a person is there to read it (a terminal) or the run needs one
(errors, an unfinished run, a flagged site). A clean crawl under cron prints nothing."""

from __future__ import annotations

import logging
import sys

from scrapy import signals

from crawler.extensions import sitehealth
from crawler.extensions.counters import counters, elapsed, human_duration, site_count

LOGGER = logging.getLogger(__name__)


def summary_line(spider, stats: dict, reason: str) -> str:
    c = counters(stats)
    sites = site_count(spider, stats)
    line = (
        f"{sites} site{'s' if sites != 1 else ''}, {c['pages']} pages fetched, {c['new']} new, {c['changed']} changed, "
        f"{c['unchanged']} unchanged, {c['gone']} gone, {c['errors']} errors in {human_duration(elapsed(stats))}"
    )
    flags = sitehealth.flagged(stats)
    if flags:  # a site whose posts came back mostly empty or undated: its layout changed, say so here
        line += "; check " + "; ".join(f"{site} ({flag})" for site, flag in flags.items())
    cut = sitehealth.api_cut(stats)
    if cut:
        line += "; " + "; ".join(f"{site}: {note}" for site, note in cut.items())
    return line if reason == "finished" else f"{line} ({reason})"


class RunSummary:
    def __init__(self, crawler, stream=None):
        self.crawler = crawler
        self.stream = stream

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _log_is_visible(self) -> bool:
        """Scrapy's log already shows INFO lines on standard error."""
        settings = self.crawler.settings
        level = logging.getLevelName(str(settings.get("LOG_LEVEL", "INFO")).upper())
        return bool(settings.getbool("LOG_ENABLED", True)) and not settings.get("LOG_FILE") and isinstance(level, int) and level <= logging.INFO

    def spider_closed(self, spider, reason) -> None:
        stats = self.crawler.stats.get_stats()
        if reason == "store_locked":  # the command says so in its own line
            return
        line = summary_line(spider, stats, reason)
        LOGGER.info("crawl summary: %s", line)
        if self._log_is_visible():
            return
        stream = self.stream or sys.stderr
        needs_a_person = counters(stats)["errors"] > 0 or reason != "finished" or bool(sitehealth.flagged(stats))
        if needs_a_person or _isatty(stream):
            print(f"blogcrawl: {line}", file=stream, flush=True)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
