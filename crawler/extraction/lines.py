"""Post-filter of body lines: labels, read-also lines, attributions, bylines, copyright, the title."""

from __future__ import annotations

import re

from .patterns import ATTRIBUTION, BYLINE, COPYRIGHT, CREDIT, SUBSCRIBE, LABEL_LINES, READ_ALSO_PREFIX, normalize
from .text import fold

_SHORT = 25  # words: longer lines are article prose whatever they start with
_BYLINE_WORDS = 8
_CREDIT_WORDS = 10
_REPEAT_CHARS = 80  # folded characters: headings and list items may repeat on purpose
# Machine values that hidden microdata blocks leak: an ISO timestamp.
_MACHINE_VALUE = re.compile(r"^(?:\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?)$")


def is_noise_line(line: str) -> bool:
    """A line that is interface text rather than article prose."""
    norm = normalize(line)
    if _MACHINE_VALUE.match(norm):
        return True
    if norm in LABEL_LINES or norm.rstrip(" :：") in LABEL_LINES:
        return True
    if len(norm.split()) > _SHORT:
        return False
    if READ_ALSO_PREFIX.match(norm) or ATTRIBUTION.search(norm) or COPYRIGHT.search(norm) or SUBSCRIBE.search(norm):
        return True
    if len(norm.split()) <= _CREDIT_WORDS and CREDIT.match(norm):
        return True
    return len(norm.split()) <= _BYLINE_WORDS and bool(BYLINE.search(norm))


def filter_lines(lines: list[str], *, title: str | None = None, sitename: str | None = None) -> list[str]:
    """Drop noise lines, the headline (when repeated at the top) and the site name."""
    drop = {fold(s) for s in (title, sitename) if s}
    drop.discard("")
    return [line for line in drop_repeats(lines) if not is_noise_line(line) and fold(line) not in drop]


def drop_repeats(lines: list[str]) -> list[str]:
    """Drop a line whose words all came earlier, in order: a hidden copy or a truncated teaser of the body."""
    kept: list[str] = []
    seen = ""
    for line in lines:
        key = fold(line).rstrip(".…")
        if len(key) >= _REPEAT_CHARS and key in seen:
            continue
        kept.append(line)
        seen += key
    return kept
