"""Post-filter of body lines: labels, read-also lines, attributions, bylines, copyright, the title."""

from __future__ import annotations

from .patterns import ATTRIBUTION, BYLINE, COPYRIGHT, LABEL_LINES, READ_ALSO_PREFIX, normalize
from .text import fold

_SHORT = 25  # words: longer lines are article prose whatever they start with
_BYLINE_WORDS = 8


def is_noise_line(line: str) -> bool:
    """A line that is interface text rather than article prose."""
    norm = normalize(line)
    if norm in LABEL_LINES or norm.rstrip(" :：") in LABEL_LINES:
        return True
    if len(norm.split()) > _SHORT:
        return False
    if READ_ALSO_PREFIX.match(norm) or ATTRIBUTION.search(norm) or COPYRIGHT.search(norm):
        return True
    return len(norm.split()) <= _BYLINE_WORDS and bool(BYLINE.search(norm))


def filter_lines(lines: list[str], *, title: str | None = None, sitename: str | None = None) -> list[str]:
    """Drop noise lines, the headline (when repeated at the top) and the site name."""
    drop = {fold(s) for s in (title, sitename) if s}
    drop.discard("")
    kept = [line for line in lines if not is_noise_line(line)]
    return [line for line in kept if fold(line) not in drop]
