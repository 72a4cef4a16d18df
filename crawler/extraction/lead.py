"""The lead (standfirst, teaser, chapo): a summary paragraph above the body that trafilatura skips.

Recognised by the page's own description: an element of the cleaned page whose whole text is the
meta description is the article's lead, shown to readers; it opens the body unless already in it.
A one-sentence subtitle (a "dek") belongs with the headline, which stays out of the body, not with
the prose: a lead has at least two sentences or the length of a paragraph.

Or by its name, when the description differs from it (shortened, rewritten): the first element named
a lead (class or id "lead", "intro", "teaser", "excerpt", "standfirst", "chapo", "summary"...), above
the body's first line, outside links, holding prose of paragraph size and no more.
"""

from __future__ import annotations

import re

from lxml import html

from .document import Document, class_id, linked_chars, text_of
from .patterns import ALWAYS_NOISE
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


# Class and id names of a lead paragraph (not of a one-line subtitle: "subtitle", "dek" are not here).
_LEAD_NAME = re.compile(r"(?:^|[\s_-])(?:lead(?![-_](?:art|image|img|media|photo|video|figure|visual|asset))|"
                        r"lede|leadin|intro|introduction|teaser|teaser-text|excerpt|standfirst|"
                        r"chapo|chapeau|summary|abstract|documentdescription|article-description|post-description)"
                        r"(?:$|[\s_-])")
_LEAD_TAGS = frozenset({"p", "div", "h2", "section", "span", "strong"})
_HEADLINE_TAGS = frozenset({"h1", "h2", "h3"})
_START_CHARS = 24  # characters of the body's first line that find the element it starts
_CARD_DEPTH = 5  # the element and its ancestors looked at for a repeated card
_MAX_LEAD_CHARS = 1000
_MIN_LEAD_WORDS = 12
_SENTENCE_LEAD_WORDS = 18  # a named lead of one sentence this long is prose, not a subtitle
_LEAD_LINKED = 0.3


def find_marked_lead(tree: html.HtmlElement, first_line: str, title: str | None) -> str | None:
    """The text of the first element named a lead that stands between the headline (a heading whose text
    is ``title``) and ``first_line`` (the body's first line), if it reads as a lead paragraph."""
    body = tree.find(".//body")
    start, headline = fold(first_line)[:_START_CHARS], fold(title)
    if body is None or not start or not headline:
        return None
    seen_headline = False
    for node in body.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP:
            continue
        if node.text and fold(node.text)[:_START_CHARS] == start:
            return None  # the body's first line is reached: no lead above it
        if not seen_headline:
            seen_headline = node.tag in _HEADLINE_TAGS and fold(text_of(node)) == headline
        elif node.tag in _LEAD_TAGS and _LEAD_NAME.search(class_id(node)):
            text = squash(text_of(node))
            key = fold(text)
            if (_reads_as_lead(node, text) and start not in key and headline not in key and not _in_noise(node)
                    and not _in_card(node)):
                return text
    return None


def _in_card(node: html.HtmlElement) -> bool:
    """One of a run of cards (a feed of other stories): it or a near ancestor is a linking element with two
    or more siblings of its tag and first class name that link too."""
    for holder in [node, *node.iterancestors()][:_CARD_DEPTH]:
        cls = (holder.get("class") or "").split()[:1]
        parent = holder.getparent()
        if not cls or parent is None or holder.find(".//a") is None:
            continue
        cards = sum(1 for sib in parent if sib.tag == holder.tag and (sib.get("class") or "").split()[:1] == cls
                    and sib.find(".//a") is not None)
        if cards >= 3:
            return True
    return False


def _in_noise(node: html.HtmlElement) -> bool:
    """Inside a consent or comment box that the cleaning kept."""
    return any(ALWAYS_NOISE.search(class_id(n)) for n in (node, *node.iterancestors()))


def _reads_as_lead(node: html.HtmlElement, text: str) -> bool:
    if not (_MIN_LEAD_WORDS <= len(text.split()) and len(text) <= _MAX_LEAD_CHARS):
        return False
    if _in_link(node) or linked_chars(node) > _LEAD_LINKED * len(text):
        return False
    if next(node.iter("img", "picture", "video", "figure"), None) is not None:  # a lead image's caption
        return False
    return bool(_SENTENCE_END.search(text.strip())) or len(text) >= PARAGRAPH_CHARS


def _in_link(node: html.HtmlElement) -> bool:
    return any(a.tag == "a" for a in node.iterancestors()) or node.find(".//a") is not None and len(
        text_of(node.find(".//a"))) > 0.5 * len(text_of(node))


def with_lead(lines: list[str], lead: str | None, title: str | None, *, named: bool = False) -> list[str]:
    """``lines`` with the lead on top, unless it is already there or is the headline. A lead found by its
    element's name may be one long sentence; one found by the description must read as a paragraph."""
    if not lead:
        return lines
    key = fold(lead)
    if key == fold(title) or key in fold(" ".join(lines)):
        return lines
    if not is_paragraph(lead) and not (named and len(lead.split()) >= _SENTENCE_LEAD_WORDS):
        return lines
    return [lead, *lines]


def is_paragraph(text: str) -> bool:
    """Two sentences or more, or paragraph-long: prose rather than a subtitle."""
    return len(text) >= PARAGRAPH_CHARS or len(_SENTENCE_END.findall(text.strip())) >= 2
