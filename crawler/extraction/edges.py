"""The body's edges, judged by the elements its lines came from (structure, no vocabulary).

- An ``<h1>`` opening the body is the page's headline (a variant of the title we chose, or a second
  headline): the headline never belongs in the body.
- The body ends at its last line that is not link text: a closing run of lines that are (nearly) all link
  text is a list of other stories, a promotion or a call to action, and a short heading left dangling at
  the very end has nothing under it.

Each line is traced back to the deepest element of the cleaned page whose whole text it is; a line that
cannot be traced is left alone, and at least one line always stays.
"""

from __future__ import annotations

from lxml import html

from . import explain
from .document import short_text, text_of

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "noscript", "template"})
_LINKED = 0.8  # share of a line's characters inside links: a link, not prose
_DANGLING_WORDS = 10  # a closing heading longer than this may be a sentence set as a heading
_TAIL_LINES = 30  # the most closing lines looked at


def trim_edges(lines: list[str], tree: html.HtmlElement) -> list[str]:
    """``lines`` without the headline on top and without the closing run of link lines and dangling headings."""
    if len(lines) < 2:
        return lines
    wanted = set(lines[:2]) | set(lines[-_TAIL_LINES:])
    found = _elements(tree, wanted, max(len(line) for line in wanted))
    start = 1 if _is_headline(found.get(lines[0])) else 0
    end = len(lines)
    while end > start + 1 and len(lines) - end < _TAIL_LINES and _closes(found.get(lines[end - 1]), lines[end - 1]):
        end -= 1
    explain.dropped(lines, lines[start:], "the page's headline (an <h1>) above the body")
    explain.dropped(lines[start:], lines[start:end], "closing link lines or a dangling heading")
    return lines[start:end]


def _elements(tree: html.HtmlElement, wanted: set[str], limit: int) -> dict[str, html.HtmlElement]:
    """Each wanted text -> the deepest element whose whole text it is (later in document order wins a tie
    of depth only through nesting: a child overrides its parent)."""
    found: dict[str, html.HtmlElement] = {}
    body = tree.find(".//body")
    for node in (body if body is not None else tree).iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            continue
        text = short_text(node, limit)
        if text in wanted:
            found[text] = node
    return found


def _is_headline(node: html.HtmlElement | None) -> bool:
    return node is not None and node.tag == "h1"


def _closes(node: html.HtmlElement | None, line: str) -> bool:
    if node is None:
        return False
    if node.tag in _HEADINGS and len(line.split()) <= _DANGLING_WORDS:
        return True
    return _linked_share(node, line) >= _LINKED


def _linked_share(node: html.HtmlElement, line: str) -> float:
    if node.tag == "a" or any(a.tag == "a" for a in node.iterancestors()):
        return 1.0
    return sum(len(text_of(a)) for a in node.iter("a")) / max(1, len(line))
