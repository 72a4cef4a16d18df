"""The body's edges, judged by the elements its lines came from (structure, no vocabulary).

- An ``<h1>`` opening the body is the page's headline (a variant of the title we chose, or a second
  headline): the headline never belongs in the body.
- The body starts at its first line that is not a short link: a lone link above the prose (a section
  label, a kicker, a byline link, glued under the headline) is the page's navigation.
- The body ends at its last line that is not link text: a closing run of lines that are (nearly) all link
  text, or a link and its date, is a list of other stories, a promotion or a call to action, and a short
  heading left dangling at the very end has nothing under it.

Each line is traced back to the deepest element of the cleaned page whose whole text it is; a line that
cannot be traced is left alone, and at least one line always stays.
"""

from __future__ import annotations

from lxml import html

from . import explain
from .document import linked_chars, text_of
from .lines import is_date_line

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "noscript", "template"})
_LINKED = 0.8  # share of a line's characters inside links: a link, not prose
_DANGLING_WORDS = 10  # a closing heading longer than this may be a sentence set as a heading
_TAIL_LINES = 30  # the most closing lines looked at
_HEAD_LINES = 4  # the most opening lines looked at
_OPENING_LINK_WORDS = 5  # an opening link line longer than this may be a linked sentence
_OPENING_LINK_CHARS = 60  # the same for scripts written without spaces
_PREFIX = 8  # characters of a line's start compared before any text is read
_MAX_CHILDREN = 30  # a parent with more children is a container, not a line's element


def trim_edges(lines: list[str], tree: html.HtmlElement) -> list[str]:
    """``lines`` without the headline and short link lines on top, and without the closing run of link lines
    and dangling headings."""
    if len(lines) < 2:
        return lines
    wanted = set(lines[:_HEAD_LINES + 1]) | set(lines[-_TAIL_LINES:])
    found = _elements(tree, wanted)
    start = 1 if _is_headline(found.get(lines[0])) else 0
    headline = start
    end = len(lines)
    while (start < len(lines) - 1 and start < _HEAD_LINES and len(lines[start].split()) <= _OPENING_LINK_WORDS
           and len(lines[start]) <= _OPENING_LINK_CHARS and _is_link(found.get(lines[start]), lines[start])):
        start += 1
    while end > start + 1 and len(lines) - end < _TAIL_LINES and _closes(found.get(lines[end - 1]), lines[end - 1]):
        end -= 1
    explain.dropped(lines, lines[headline:], "the page's headline (an <h1>) above the body")
    explain.dropped(lines[headline:], lines[start:], "a short link line above the body")
    explain.dropped(lines[start:], lines[start:end], "closing link lines or a dangling heading")
    return lines[start:end]


def _elements(tree: html.HtmlElement, wanted: set[str]) -> dict[str, list[list[html.HtmlElement]]]:
    """Each wanted text -> where it stands in the page, in document order: each time, the elements whose whole
    text it is, deepest first. Only an element whose own text starts like a wanted line is read, then its
    parents while they can still hold that line and no more (cheap tests first: big containers are not read)."""
    starts = {line[:i] for line in wanted for i in range(1, _PREFIX + 1)}
    longest = max(len(line) for line in wanted)
    found: dict[str, list[list[html.HtmlElement]]] = {}
    body = tree.find(".//body")
    for node in (body if body is not None else tree).iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP or not node.text or not _starts_like(node.text, starts):
            continue
        chain: list[html.HtmlElement] = []
        while node is not None and node.tag != "body":
            text = text_of(node)
            if text in wanted:
                chain.append(node)
            elif chain or len(text) > longest:
                break
            parent = node.getparent()
            if parent is None or len(parent) > _MAX_CHILDREN or chain and not _adds_nothing(parent, node):
                break
            node = parent
        if chain:
            found.setdefault(text_of(chain[0]), []).append(chain)
    return found


def _starts_like(own: str, starts: set[str]) -> bool:
    key = " ".join(own.lstrip()[:4 * _PREFIX].split())[:_PREFIX]
    return bool(key) and key in starts


def _adds_nothing(parent: html.HtmlElement, child: html.HtmlElement) -> bool:
    """``parent`` has no text besides ``child``'s (so both have the same text)."""
    if parent.text and not parent.text.isspace() or child.tail and not child.tail.isspace():
        return False
    for other in parent:
        if other is child:
            continue
        if other.tail and not other.tail.isspace():
            return False
        if isinstance(other.tag, str) and any(not chunk.isspace() for chunk in other.itertext()):
            return False
    return True


def _is_headline(places: list[list[html.HtmlElement]] | None) -> bool:
    """The line is the text of an <h1> (anywhere: the line may also stand in a menu)."""
    return bool(places) and any(node.tag == "h1" for chain in places for node in chain)


def _closes(places: list[list[html.HtmlElement]] | None, line: str) -> bool:
    """Where the line last stands, it is a short heading or link text."""
    if not places:
        return False
    chain = places[-1]
    if any(node.tag in _HEADINGS for node in chain) and len(line.split()) <= _DANGLING_WORDS:
        return True
    return _linked_share(chain[-1], line) >= _LINKED or _link_and_date(chain[-1], line)


_DATE_SEPARATORS = " ()[]（）|-–—·•,/"


def _link_and_date(node: html.HtmlElement, line: str) -> bool:
    """A link and its date beside it ("Talks fail again (18/11/2019 14:10)", "Talks fail again · 18 Nov 2019"):
    what is not link text is only a date."""
    rest = line
    for link in node.iter("a"):
        text = text_of(link)
        if text:
            rest = rest.replace(text, " ", 1)
    rest = rest.strip(_DATE_SEPARATORS)
    return rest != line.strip(_DATE_SEPARATORS) and bool(rest) and is_date_line(rest)


def _is_link(places: list[list[html.HtmlElement]] | None, line: str) -> bool:
    """Everywhere the line stands, it is link text."""
    return bool(places) and all(_linked_share(chain[-1], line) >= _LINKED for chain in places)


def _linked_share(node: html.HtmlElement, line: str) -> float:
    if node.tag == "a" or any(a.tag == "a" for a in node.iterancestors()):
        return 1.0
    return linked_chars(node) / max(1, len(line))
