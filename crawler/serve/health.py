"""Per-site health over the last runs: the share of post pages with an empty body or no date, per run,
as the runs' counters give it (``blogcrawl runs``), a mark where it dropped, and a small SVG chart."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.commands.runs import site_health

DROP = 0.2  # the unhealthy share rising this much from one run to the next is a drop in health
MIN_PAGES = 5  # ... on at least this many post pages (fewer prove nothing)
CHART_WIDTH, CHART_HEIGHT = 120, 28


@dataclass(frozen=True, slots=True)
class Point:
    run_id: int
    started_at: str
    pages: int
    unhealthy_share: float
    dropped: bool  # health dropped at this run


def series(runs_oldest_first, site: str) -> list[Point]:
    """The site's health at each run that fetched its post pages, oldest first."""
    points: list[Point] = []
    for run in runs_oldest_first:
        health = site_health(run.stats or {}).get(site)
        if not health or not health["pages"]:
            continue
        share = health["unhealthy_share"]
        dropped = bool(points) and health["pages"] >= MIN_PAGES and share - points[-1].unhealthy_share >= DROP
        points.append(Point(run.id, run.started_at.isoformat(), health["pages"], share, dropped))
    return points


def dropped(points: list[Point]) -> bool:
    """The site's health dropped in these runs and has not come back since (the latest share is still
    ``DROP`` above the one before the last drop)."""
    drops = [index for index, point in enumerate(points) if point.dropped]
    return bool(drops) and points[-1].unhealthy_share - points[drops[-1] - 1].unhealthy_share >= DROP


def chart(points: list[Point]) -> dict:
    """Coordinates for the inline SVG: a polyline of the unhealthy share (0 at the bottom) and the drops."""
    if not points:
        return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "line": "", "dots": [], "marks": []}
    step = (CHART_WIDTH - 8) / max(len(points) - 1, 1)
    xy = [(4 + i * step if len(points) > 1 else CHART_WIDTH / 2,
           CHART_HEIGHT - 4 - p.unhealthy_share * (CHART_HEIGHT - 8)) for i, p in enumerate(points)]
    return {
        "width": CHART_WIDTH, "height": CHART_HEIGHT,
        "line": " ".join(f"{x:.1f},{y:.1f}" for x, y in xy),
        "dots": [{"x": round(x, 1), "y": round(y, 1), "point": p} for (x, y), p in zip(xy, points)],
        "marks": [{"x": round(x, 1), "y": round(y, 1), "point": p} for (x, y), p in zip(xy, points) if p.dropped],
    }
