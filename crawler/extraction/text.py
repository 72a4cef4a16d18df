"""Small text helpers shared by the field extractors."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def squash(text: str | None) -> str:
    """Collapse whitespace (including NBSP and zero-width marks) and strip."""
    if not text:
        return ""
    text = text.replace("\u200b", "").replace("\u200f", "").replace("\u200e", "").replace("\ufeff", "")
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)  # a page's lines are folded by several steps; cleared per page (extraction/__init__)
def fold(text: str | None) -> str:
    """A comparison key: NFKC, case-folded, without punctuation or spaces."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", squash(text)).casefold())


def arabic_share(text: str) -> float:
    """Share of Arabic-script letters among Arabic and Latin letters."""
    if text.isascii():  # O(1): no Arabic letter, so the share is 0 whatever the Latin count
        return 0.0
    arabic = len(_ARABIC.findall(text))
    if not arabic:
        return 0.0
    latin = len(_LATIN.findall(text))
    return arabic / (arabic + latin) if arabic + latin else 0.0
