"""Normal forms of an article body: tidy whitespace and a content hash (``ArticleWriter`` normalises with them)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u200b\u200c\u200e\u200f\u202a-\u202e]+")


def tidy_text(text: str) -> str:
    """NFC, one space between words, no blank or padded lines."""
    text = unicodedata.normalize("NFC", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def content_hash(text: str) -> str:
    """A stable fingerprint of an article body, insensitive to whitespace."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
