"""Policy state per site (the site_state table): what a run learned about a site that the next process
of the same run, a resumed run or another worker must know too. Functions take a session.

    save(session, site, "sitemap_run", {"run": 12})
    load(session, "sitemap_run")  -> {site: value}
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .dialect import insert_for
from .models import SiteState


def save(session: Session, site: str, name: str, value: dict) -> None:
    """Sets ``name`` of ``site`` to ``value`` (inserted or replaced)."""
    stmt = insert_for(session, SiteState).values(site=site, name=name, value=value)
    session.execute(stmt.on_conflict_do_update(index_elements=["site", "name"], set_={"value": value}))


def load(session: Session, name: str, sites: list[str] | None = None) -> dict[str, dict]:
    """``{site: value}`` of every site (or of ``sites``) that has ``name``."""
    query = select(SiteState.site, SiteState.value).where(SiteState.name == name)
    if sites is not None:
        query = query.where(SiteState.site.in_(sites))
    return {site: value for site, value in session.execute(query)}


def forget(session: Session, site: str, name: str) -> None:
    """Removes ``name`` of ``site`` (nothing when it has none)."""
    session.execute(delete(SiteState).where(SiteState.site == site, SiteState.name == name))
