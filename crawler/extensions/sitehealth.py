"""Per-site health of a run, read from its stats: which sites failed outright, which came back broken.

- A site **failed** when no page of it answered in the run (``site/<site>/answered`` is counted by
  ``SiteAnswers`` for every response under 400 other than robots.txt, under the site of the URL asked
  for: a root redirected to another host answered): refused, DNS, all 5xx, robots.txt
  disallowing everything. Its reason is what its root's fetch gave (``failure_reason``).
- A site's WordPress REST list was **cut** when it had more than ``wpapi.MAX_PAGES`` pages (``api_cut``):
  the summary line and ``blogcrawl runs`` say so; its other posts come from its sitemaps and feeds.
- A site is **flagged** when at least ``FLAG_MIN_PAGES`` post pages came back and more than
  ``FLAG_SHARE`` of them had an empty body or no date (a layout the extraction no longer reads).

A crawl whose every site failed is a failed run: ``blogcrawl crawl`` exits 1 with one line per site,
and ``blogcrawl runs`` shows the run as failed with the reason (crawler/extensions/run.py records it).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import signals

from crawler.extensions.redaction import redact_secrets
from crawler.urls import site_of

FLAG_MIN_PAGES = 5
FLAG_SHARE = 0.5
ANSWERED = "site/{}/answered"
FAILED_STAT = "blogcrawl/site_failed/"  # + site: the reason, set when the run ends
API_CUT = "discovery/api_cut/"  # + site: the page count of a WordPress REST list cut at wpapi.MAX_PAGES


def site_health(stats: dict) -> dict[str, dict]:
    """Per site: post-like pages seen, and the share with an empty body or no date (a broken layout shows)."""
    sites: dict[str, dict] = {}
    for key, value in stats.items():
        if key.startswith("site/") and key.count("/") >= 2:
            _, site, counter = key.split("/", 2)
            sites.setdefault(site, {})[counter] = value
    health = {}
    for site, counters in sorted(sites.items()):
        pages = counters.get("pages", 0)
        bad = counters.get("empty_body", 0) + counters.get("no_date", 0)
        health[site] = {
            "pages": pages,
            "articles": counters.get("articles", 0),
            "empty_body": counters.get("empty_body", 0),
            "no_date": counters.get("no_date", 0),
            "unhealthy_share": round(bad / pages, 3) if pages else 0.0,
        }
    return health


def flagged(stats: dict) -> dict[str, str]:
    """``{site: "12 of 14 post pages empty or undated"}`` for the sites whose posts came back mostly broken."""
    flags = {}
    for site, h in site_health(stats).items():
        if h["pages"] >= FLAG_MIN_PAGES and h["unhealthy_share"] > FLAG_SHARE:
            bad = min(h["pages"], h["empty_body"] + h["no_date"])
            flags[site] = f"{bad} of {h['pages']} post pages empty or undated"
    return flags


def api_cut(stats: dict) -> dict[str, str]:
    """``{site: "REST list cut at 100 of 240 pages; the rest from sitemaps and feeds"}``: the sites whose
    WordPress REST posts list was longer than ``wpapi.MAX_PAGES`` pages."""
    from crawler.discovery.wpapi import MAX_PAGES

    return {key[len(API_CUT):]: f"REST list cut at {MAX_PAGES} of {value} pages; the rest from sitemaps and feeds"
            for key, value in sorted(stats.items()) if key.startswith(API_CUT)}


def unanswered_sites(sites: list[str], stats: dict) -> list[str]:
    """The sites of ``sites`` none of whose pages answered in the run."""
    return [site for site in sites if not stats.get(ANSWERED.format(site))]


def failure_reason(root_row) -> str:
    """Why a site failed, from its root's frontier row (its error, else its HTTP status); passwords redacted."""
    if root_row is None:
        return "no page answered"
    if root_row.error:
        return redact_secrets(" ".join(str(root_row.error).split()))[:200]
    if root_row.status:
        return f"HTTP {root_row.status}"
    return "no page answered"


def site_failures(sites: list[str], stats: dict, root_outcome) -> dict[str, str]:
    """``{site: reason}`` of the crawl's ``sites`` none of whose pages answered (``stats``: the answers
    counted, ``ANSWERED``); ``root_outcome(site)``: its root's fetch outcome (``.error``, ``.status``) or None.
    The single-process crawl reads the root's frontier row, a fleet what its processes recorded in Redis."""
    return {site: failure_reason(root_outcome(site)) for site in unanswered_sites(sites, stats)}


def run_outcome(status: str, failed: dict[str, str], sites: int) -> tuple[str, str | None]:
    """The run's status and reason once its failed sites are known: ``failed`` when every site failed."""
    from pipelines.storage import runs

    why = "; ".join(f"{site}: {text}" for site, text in failed.items()) or None
    if failed and len(failed) >= sites:
        return runs.FAILED, f"every site failed: {why}"
    if failed:
        return status, f"{len(failed)} of {sites} sites failed: {why}"
    return status, None


def record_failures(failed: dict[str, str], *stats) -> None:
    """Sets ``FAILED_STAT + site`` to its reason in each of ``stats`` (dicts or Scrapy stats collectors):
    the command prints them (crawler/commands/outcome.py) and ``blogcrawl runs`` shows them."""
    for site, why in failed.items():
        for target in stats:
            if isinstance(target, dict):
                target[FAILED_STAT + site] = why
            else:
                target.set_value(FAILED_STAT + site, why)


def failed_sites(stats: dict) -> dict[str, str]:
    """``{site: reason}`` as the run recorded them (``blogcrawl/site_failed/<site>``)."""
    return {key[len(FAILED_STAT):]: str(value) for key, value in sorted(stats.items()) if key.startswith(FAILED_STAT)}


class SiteAnswers:
    """Counts, per site, the responses that answered (status under 400; robots.txt not counted)."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def response_received(self, response, request, spider) -> None:
        site = answering_site(response, request)
        if site is not None:
            self.crawler.stats.inc_value(ANSWERED.format(site))


def answering_site(response, request) -> str | None:
    """The site a response answered for (status under 400, not robots.txt), under the site of the URL
    asked for: a root redirected to another host answered too."""
    if response.status < 400 and urlsplit(response.url).path != "/robots.txt":
        return site_of(request.meta.get("frontier_key") or response.url)
    return None
