"""Page language: declared (<html lang>, og:locale, content-language) checked against the text's script."""

from __future__ import annotations

import logging
import re

from .document import Document
from .text import arabic_share

LOGGER = logging.getLogger(__name__)

try:  # optional: a light detector for pages that declare nothing usable
    import py3langid
except ImportError:  # pragma: no cover - depends on the environment
    py3langid = None

_CODE = re.compile(r"^([a-z]{2,3})(?:[-_].*)?$")
_ARABIC_SCRIPT = frozenset({"ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug"})
_MIN_DETECT = 40  # characters of text below which detection is a guess


def _code(value: str | None) -> str | None:
    match = _CODE.match((value or "").strip().lower())
    code = match.group(1) if match else None
    return code if code and len(code) == 2 else None


def declared_language(doc: Document) -> str | None:
    """The language the page declares, as a two-letter code."""
    root = doc.tree
    for value in (root.get("lang"), root.get("xml:lang"), doc.meta_first("og:locale", "content-language", "language", "dc.language")):
        code = _code(value.split(",")[0] if value else None)
        if code:
            return code
    return None


def detect(text: str) -> str | None:
    """py3langid on the text, when available and the text is long enough."""
    if py3langid is None or len(text) < _MIN_DETECT:
        return None
    code, _score = py3langid.classify(text[:5000])
    return code if isinstance(code, str) and len(code) == 2 else None


def extract_language(doc: Document, text: str) -> str | None:
    """Declared language unless the text's script contradicts it; else detected."""
    declared = declared_language(doc)
    sample = text or ""
    share = arabic_share(sample) if sample else None
    if share is not None and share > 0.5:
        return declared if declared in _ARABIC_SCRIPT else "ar"
    if declared and declared not in _ARABIC_SCRIPT and (share is None or share < 0.5):
        return declared
    if declared in _ARABIC_SCRIPT and share is None:
        return declared
    return detect(sample) or declared
