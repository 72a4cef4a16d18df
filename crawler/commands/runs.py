"""``blogcrawl runs [--db DB_URL]``: crawl history with per-site health.

Each run: status (``failed`` with its ``reason`` when no site answered), counters, the sites that failed
and the sites flagged (posts mostly empty or undated; crawler/extensions/sitehealth.py), browser
traffic (pages rendered in Chromium and the requests they made), per-site health."""

from __future__ import annotations

import json
import sys

from crawler.commands import OK, opened_store
from crawler.extensions.sitehealth import api_cut, failed_sites, flagged, site_health
from crawler.extensions.redaction import redact_secrets
from pipelines.storage import runs

COUNTERS = {
    "fetched": ("response_received_count",),
    "new": ("storage/new",),
    "changed": ("storage/changed",),
    "unchanged": ("storage/unchanged",),
    "gone": ("errors/http_404", "errors/http_410"),
    "duplicates": ("dedup/dropped/url", "dedup/dropped/content", "dedup/dropped/near", "dedup/canonical_elsewhere"),
}


def add_parser(sub) -> None:
    parser = sub.add_parser("runs", help="list crawl runs with their counters and per-site health")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--limit", type=int, default=20, help="how many runs, newest first (default 20)")
    parser.add_argument("--json", action="store_true", help="one JSON object per run instead of text")


def summarize(stats: dict) -> dict:
    """The counters of a run, and its errors by kind."""
    summary = {name: sum(int(stats.get(key, 0)) for key in keys) for name, keys in COUNTERS.items()}
    summary["errors"] = {
        key.removeprefix("errors/"): value
        for key, value in sorted(stats.items())
        if key.startswith("errors/") and key not in ("errors/http_404", "errors/http_410")
    }
    summary["browser"] = {
        "renders": int(stats.get("playwright/page_count", 0)),
        "requests": int(stats.get("playwright/request_count", 0)),
        "blocked": int(stats.get("playwright/request_count/aborted", 0)),
    }
    return summary


def duration(run) -> float | None:
    """Seconds from start to end (None while the run is going on or when it was never ended)."""
    if run.ended_at is None:
        return None
    return round((run.ended_at - run.started_at).total_seconds(), 1)


def human_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def run_record(run) -> dict:
    stats = run.stats or {}
    return {
        "id": run.id,
        "started_at": run.started_at.isoformat(),
        "ended_at": run.ended_at.isoformat() if run.ended_at else None,
        "duration_s": duration(run),
        "status": run.status,
        "reason": run.reason,
        "roots": [redact_secrets(root) for root in run.roots or []],  # http://user:***@host/
        **summarize(stats),
        "failed_sites": failed_sites(stats),
        "flagged_sites": flagged(stats),
        "api_cut_sites": api_cut(stats),
        "sites": site_health(stats),
    }


def _print_text(record: dict, out) -> None:
    print(
        f"run {record['id']}  {record['status']:<11} {record['started_at']} -> {record['ended_at'] or '-'}"
        f"  ({human_duration(record['duration_s'])})\n"
        f"  roots: {' '.join(record['roots']) or '-'}\n"
        f"  fetched {record['fetched']}  new {record['new']}  changed {record['changed']}  "
        f"unchanged {record['unchanged']}  gone {record['gone']}  duplicates {record['duplicates']}",
        file=out,
    )
    if record["reason"]:
        print(f"  reason: {record['reason']}", file=out)
    for site, flag in record["flagged_sites"].items():
        print(f"  flagged: {site}: {flag}", file=out)
    for site, note in record["api_cut_sites"].items():
        print(f"  {site}: {note}", file=out)
    browser = record["browser"]
    if browser["renders"] or browser["requests"]:
        print(f"  browser: {browser['renders']} pages rendered, {browser['requests']} requests "
              f"({browser['blocked']} blocked)", file=out)
    if record["errors"]:
        print("  errors: " + ", ".join(f"{k} {v}" for k, v in record["errors"].items()), file=out)
    for site, h in record["sites"].items():
        flag = "  <- check this site's layout" if h["pages"] >= 5 and h["unhealthy_share"] > 0.2 else ""
        print(
            f"  {site}: {h['pages']} post pages, {h['articles']} articles, empty body {h['empty_body']}, "
            f"no date {h['no_date']} ({h['unhealthy_share']:.0%} unhealthy){flag}",
            file=out,
        )


def run(args) -> int:
    with opened_store(args.db, must_exist=True) as store, store.sessions() as session:
        records = [run_record(r) for r in runs.recent(session, args.limit)]
    for record in records:
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            _print_text(record, sys.stdout)
    return OK
