"""Crawl runs: one row per ``blogcrawl crawl``, with its status and counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import journal
from .models import CrawlRun

RUNNING, FINISHED, INTERRUPTED, FAILED = "running", "finished", "interrupted", "failed"


def unfinished(session: Session) -> CrawlRun | None:
    """The latest run still marked running: it died without closing (killed), so it is to resume."""
    return session.scalar(
        select(CrawlRun).where(CrawlRun.status == RUNNING).order_by(CrawlRun.id.desc()).limit(1)
    )


def latest_id(session: Session) -> int | None:
    """The id of the latest run (None: the store has none)."""
    return session.scalar(select(CrawlRun.id).order_by(CrawlRun.id.desc()).limit(1))


def begin(session: Session, roots: list[str], now: datetime) -> CrawlRun:
    run = CrawlRun(started_at=now, status=RUNNING, roots=roots, stats={})
    session.add(run)
    session.flush()
    return run


def end(session: Session, run_id: int, status: str, now: datetime, stats: dict, reason: str | None = None) -> None:
    """Closes a run: its status, end time, counters and (a failed run, failed sites) the reason. Its
    response journal is emptied: a closed run is never resumed."""
    journal.clear(session)
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    run.status = status
    run.ended_at = now
    run.stats = stats
    run.reason = reason


def recent(session: Session, limit: int = 20) -> list[CrawlRun]:
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)))


def save_stats(session: Session, run_id: int, stats: dict) -> None:
    run = session.get(CrawlRun, run_id)
    if run is not None:
        run.stats = stats


def merge_stats(base: dict, current: dict) -> dict:
    """The counters of a resumed run: what the killed process did plus what this one did."""
    merged = dict(current)
    for key, value in base.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(current.get(key, 0), (int, float)):
            if key.startswith(("memusage/", "blogcrawl/run_id")):
                merged[key] = max(value, current.get(key, 0))
            else:
                merged[key] = value + current.get(key, 0)
        elif key not in merged:
            merged[key] = value
    return merged
