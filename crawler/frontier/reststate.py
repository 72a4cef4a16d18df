"""WordPress REST lists that gave no posts list, remembered per site in the store (site_state ``wpapi.STATE``)
with the run's clock; single crawls (crawler/frontier/store.py) and fleets (crawler/spiders/fleet.py) alike."""

from __future__ import annotations

from datetime import datetime

from crawler.discovery import wpapi
from pipelines.storage import sitestate


def held_sites(session, sites: list[str], now: datetime) -> set[str]:
    """Those of ``sites`` whose REST list is not asked in a run starting at ``now`` (``wpapi.held``)."""
    return {site for site, value in sitestate.load(session, wpapi.STATE, sites).items() if wpapi.held(value, now)}


def remember_failure(db, site: str, now: datetime) -> None:
    """A REST list of ``site`` gave no posts list at ``now``: saved through ``db`` (a BatchWriter), its hold
    doubled when the last answer was a refusal too (``wpapi.failed``)."""

    def save(session) -> None:
        previous = sitestate.load(session, wpapi.STATE, [site]).get(site)
        sitestate.save(session, site, wpapi.STATE, wpapi.failed(now, previous))

    db.send(save)


def remember_answer(db, site: str) -> None:
    """A REST list of ``site`` gave a posts list: the next refusal starts again from ``wpapi.FIRST_HOLD``."""
    db.send(lambda session: sitestate.forget(session, site, wpapi.STATE))
