"""The lead (standfirst, teaser, chapo): a summary paragraph above the body that trafilatura skips.

Recognised by the page's own description: an element of the cleaned page whose whole text is the
meta description is the article's lead, shown to readers; it opens the body unless already in it.
A one-sentence subtitle (a "dek") belongs with the headline, which stays out of the body, not with
the prose: a lead has at least two sentences or the length of a paragraph.
"""

from __future__ import annotations

import re

from lxml import html

from .document import Document, text_of
from .text import fold, squash

MIN_LEAD_CHARS = 40
PARAGRAPH_CHARS = 240
_SENTENCE_END = re.compile(r"[.!?؟。](?=\s|$)")
_MAX_CLIMB = 4
_SKIP = frozenset({"script", "style", "noscript", "template", "title", "meta", "a", "button", "option"})


def description(doc: Document) -> str:
    return squash(doc.meta_first("description", "og:description", "twitter:description"))


def find_lead(tree: html.HtmlElement, desc: str) -> str | None:
    """The text of the element showing ``desc`` in the page body, if there is one (outside links)."""
    body = tree.find(".//body")
    key = fold(desc)
    if body is None or len(desc) < MIN_LEAD_CHARS or not key:
        return None
    start = key[:12]
    for node in body.iter():
        if (not isinstance(node.tag, str) or node.tag in _SKIP or not node.text or node.text.isspace()
                or not fold(node.text).startswith(start)):
            continue
        for _ in range(_MAX_CLIMB):
            if node is None or node.tag == "body":
                break
            text = text_of(node)
            if fold(text) == key:
                return None if _in_link(node) else text
            if len(text) > 2 * len(desc):
                break
            node = node.getparent()
    return None


def _in_link(node: html.HtmlElement) -> bool:
    return any(a.tag == "a" for a in node.iterancestors()) or node.find(".//a") is not None and len(
        text_of(node.find(".//a"))) > 0.5 * len(text_of(node))


def with_lead(lines: list[str], lead: str | None, title: str | None) -> list[str]:
    """``lines`` with the lead on top, unless it is already there or is the headline."""
    if not lead:
        return lines
    key = fold(lead)
    if key == fold(title) or key in fold(" ".join(lines)) or not is_paragraph(lead):
        return lines
    return [lead, *lines]


def is_paragraph(text: str) -> bool:
    """Two sentences or more, or paragraph-long: prose rather than a subtitle."""
    return len(text) >= PARAGRAPH_CHARS or len(_SENTENCE_END.findall(text.strip())) >= 2
