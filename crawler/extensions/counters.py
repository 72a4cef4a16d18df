"""A crawl's counters read from its stats (the keys the spider and pipelines write), shared by the
progress line and the end-of-run summary; no spider internals."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.urls import site_of

GONE_KEYS = ("errors/http_404", "errors/http_410")


def counters(stats: dict) -> dict:
    """pages fetched, new, changed, unchanged, gone, errors (failed fetches and pipeline errors)."""
    errors = sum(
        int(v) for k, v in stats.items()
        if k.startswith("errors/") and k not in GONE_KEYS and isinstance(v, (int, float))
    )
    return {
        "pages": int(stats.get("response_received_count", 0)),
        "new": int(stats.get("storage/new", 0)),
        "changed": int(stats.get("storage/changed", 0)),
        "unchanged": int(stats.get("storage/unchanged", 0)),
        "gone": sum(int(stats.get(k, 0)) for k in GONE_KEYS),
        "errors": errors,
    }


def site_count(spider, stats: dict) -> int:
    """The crawl's sites: its roots' sites, else the sites its stats name."""
    roots = getattr(spider, "roots", None) or []
    if roots:
        return len({site_of(root) for root in roots})
    return len({key.split("/", 2)[1] for key in stats if key.startswith("site/")})


def elapsed(stats: dict) -> float:
    start = stats.get("start_time")
    if not isinstance(start, datetime):
        return 0.0
    end = stats.get("finish_time") if isinstance(stats.get("finish_time"), datetime) else datetime.now(timezone.utc)
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return max(0.0, (end - start).total_seconds())


def human_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
