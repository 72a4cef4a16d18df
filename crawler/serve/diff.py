"""A word diff between two versions of an article's text (difflib), line breaks kept."""

from __future__ import annotations

import difflib
import re

_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs: op is ``same``, ``added`` or ``removed``; joined in order they read as both texts."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("added", "".join(b[j1:j2])))
    return runs


def changed_words(runs: list[tuple[str, str]]) -> tuple[int, int]:
    """Words added and removed."""
    added = sum(len(text.split()) for op, text in runs if op == "added")
    removed = sum(len(text.split()) for op, text in runs if op == "removed")
    return added, removed
