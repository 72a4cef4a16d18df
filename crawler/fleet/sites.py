"""What a fleet's processes learn about each site during one crawl generation, kept in Redis (``P:sites``,
crawler/fleet/frontier.py) so that every process decides as a single-process crawl would:

- a site whose sitemaps answered (any process read them): its taxonomy and date archives are not
  fetched, by the rule of a single crawl (``crawler.discovery.policy.sitemap_covers``, checked as each
  request is popped: ``FleetScheduler``);
- the sites a page of which answered, and each root's fetch outcome: once the fleet's crawl is over, a
  site none of whose pages answered in any process failed, with its root's reason
  (``crawler.extensions.sitehealth.site_failures``), and every process's run and exit say so.

A new generation starts with no notes (``RedisFrontier.begin``); a fleet resumed after all its processes
died keeps them.
"""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

from crawler.extensions import sitehealth

LOGGER = logging.getLogger(__name__)
SITEMAP, ANSWERED, ROOT = "sitemap", "answered", "root"


class SitemapSites:
    """The sites whose sitemaps answered in this generation, as a container (``site in sitemap_sites``):
    a site found there is remembered in the process; one not found is asked again next time."""

    def __init__(self, fleet):
        self.fleet = fleet
        self.known: set[str] = set()

    def __contains__(self, site: str) -> bool:
        if site not in self.known and self.fleet.site_note(SITEMAP, site) is not None:
            self.known.add(site)
        return site in self.known

    def add(self, site: str) -> None:
        """This process read a sitemap of ``site`` (written to Redis once per process)."""
        if site not in self.known:
            self.known.add(site)
            self.fleet.note_site(SITEMAP, site)


class FleetSites:
    """One process's notes on the crawl's sites: sitemaps answered, pages answered, roots' outcomes."""

    def __init__(self, fleet, root_sites: dict[str, str]):
        self.fleet = fleet
        self.root_sites = root_sites  # root url_key -> site
        self.sitemaps = SitemapSites(fleet)
        self._answered: set[str] = set()

    def response_received(self, response, request, spider=None) -> None:
        """Scrapy's ``response_received``: the first answer of each site in this process is noted."""
        site = sitehealth.answering_site(response, request)
        if site is not None and site not in self._answered:
            self._answered.add(site)
            self.fleet.note_site(ANSWERED, site)

    def root_fetched(self, meta, status: int | None, error: str | None) -> None:
        """The outcome of a fetch; kept when it is a root's (the reason its site failed, if it did)."""
        site = self.root_sites.get(meta.get("frontier_key"))
        if site is not None:
            self.fleet.note_site(ROOT, site, json.dumps({"status": status, "error": error}))

    def failures(self, sites: list[str]) -> dict[str, str]:
        """``{site: reason}`` of the sites no page of which answered in any process of the fleet."""
        answered = {sitehealth.ANSWERED.format(site): 1 for site in self.fleet.site_notes(ANSWERED)}
        roots = self.fleet.site_notes(ROOT)
        return sitehealth.site_failures(sites, answered, lambda site: _outcome(roots.get(site)))


def _outcome(raw: str | None):
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return SimpleNamespace(status=value.get("status"), error=value.get("error"))
