"""``blogcrawl sites [--db DB_URL] [--json]``: the sites in a store, one line each.

Per site: live articles, articles gone, the newest publication date, when a page of it was last stored,
and its health in the latest run that crawled it (post pages, share with an empty body or no date)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from crawler.commands import OK, opened_store
from crawler.commands.runs import site_health
from pipelines.storage import runs
from pipelines.storage.models import Article

UNHEALTHY = 0.2  # share of post pages with an empty body or no date that flags a site (as in `runs`)


def add_parser(sub) -> None:
    parser = sub.add_parser("sites", help="list the sites in the store: articles, last run, health")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--json", action="store_true", help="one JSON object per site instead of text")


def site_records(session, scan_runs: int = 50) -> list[dict]:
    rows = session.execute(
        select(
            Article.site,
            func.count().filter(Article.gone_at.is_(None), Article.copy_of_id.is_(None)),
            func.count().filter(Article.gone_at.is_not(None)),
            func.count().filter(Article.copy_of_id.is_not(None)),
            func.max(Article.published),
            func.max(Article.fetched_at),
        ).group_by(Article.site).order_by(Article.site)
    ).all()
    records = {
        site: {
            "site": site, "articles": live, "gone": gone, "copies": copies,
            "newest_published": newest.isoformat() if newest else None,
            "last_stored": stored.isoformat() if stored else None,
            "last_run": None, "health": None,
        }
        for site, live, gone, copies, newest, stored in rows
    }
    for run in runs.recent(session, scan_runs):  # newest first: the first run that names a site is its last
        for site, health in site_health(run.stats or {}).items():
            record = records.setdefault(site, {
                "site": site, "articles": 0, "gone": 0, "copies": 0, "newest_published": None, "last_stored": None,
                "last_run": None, "health": None,
            })
            if record["last_run"] is None:
                record["last_run"] = {"id": run.id, "status": run.status, "started_at": run.started_at.isoformat()}
                record["health"] = health
    return [records[site] for site in sorted(records)]


def _text(record: dict) -> str:
    health = record["health"]
    if health is None:
        state = "no run recorded"
    else:
        share = health["unhealthy_share"]
        flag = "  <- check this site's layout" if health["pages"] >= 5 and share > UNHEALTHY else ""
        state = f"last run {record['last_run']['id']} ({record['last_run']['status']}): {health['pages']} post pages, {share:.0%} unhealthy{flag}"
    newest = (record["newest_published"] or "-")[:10]
    return f"{record['site']}  {record['articles']} articles ({record['gone']} gone, {record['copies']} copies), newest {newest}; {state}"


def run(args) -> int:
    with opened_store(args.db, must_exist=True) as store, store.sessions() as session:
        records = site_records(session)
    for record in records:
        print(json.dumps(record, ensure_ascii=False) if args.json else _text(record))
    return OK
