"""Teaser lists, and whether the extracted body stands apart from them.

A listing is several comparable teasers (``<article>`` cards, headings with a link in a card) and no
body of its own: what extraction keeps of it is teaser text. A news article or post often carries
teaser lists too (related stories, most read, more from the section), but its body lies outside them
and outweighs any single teaser. ``dominant_body`` tells the two apart from the page's own structure;
no phrase or class of one site is involved.
"""

from __future__ import annotations

import statistics

from lxml import html

from .document import Document
from .text import squash

TEASER_HEADING_XPATH = "//*[self::h2 or self::h3][contains(@class, 'title') or ancestor::article][a[@href]]"
MIN_TEASERS = 3  # "several": fewer cards are a pair of links, not a list
BODY_SHARE = 0.5  # the body's own text (outside teasers) is at least half of what was extracted ...
BODY_OVER_TEASER = 2.0  # ... and at least twice the median teaser


def _cards(doc: Document) -> list[html.HtmlElement]:
    """Teaser cards: each ``<article>`` with at most one teaser heading, and for every other teaser
    heading the largest block around it that holds no other teaser heading (heading and excerpt)."""
    headings = doc.tree.xpath(TEASER_HEADING_XPATH)
    ids = {id(h) for h in headings}

    def count(node: html.HtmlElement) -> int:
        return sum(id(h) in ids for h in node.iter("h2", "h3"))

    cards = {id(a): a for a in doc.tree.iter("article") if count(a) <= 1}
    for heading in headings:
        if any(id(a) in cards for a in heading.iterancestors("article")):
            continue
        card, parent = heading, heading.getparent()
        while parent is not None and parent.tag not in ("body", "html") and count(parent) == 1:
            card, parent = parent, parent.getparent()
        cards[id(card)] = card
    return list(cards.values())


def teaser_texts(doc: Document, text: str) -> list[str]:
    """Texts of the page's teaser cards. A card that holds another card is a section, and a card that
    holds most of the extracted text is the page's own post: neither is a teaser."""
    cards = {id(c): c for c in _cards(doc)}
    inner = set()
    for card in cards.values():
        inner.update(id(a) for a in card.iterancestors() if id(a) in cards)
    lines = [line for line in map(squash, text.splitlines()) if line]
    texts = []
    for key, card in cards.items():
        value = squash(card.text_content())
        if key in inner or not value:
            continue
        if len(value) >= len(text) * BODY_SHARE and _chars_in(lines, value) >= len(text) * BODY_SHARE:
            continue
        texts.append(value)
    return texts


def is_teaser_list(doc: Document, text: str) -> bool:
    """Several teaser cards and no dominant body: the page lists posts."""
    teasers = teaser_texts(doc, text)
    if len(teasers) < MIN_TEASERS:
        return False
    return not dominant_body(text, teasers)


def dominant_body(text: str, teasers: list[str]) -> bool:
    """The extracted text is mostly outside the teasers and outweighs a typical one."""
    lines = [line for line in map(squash, text.splitlines()) if line]
    own = sum(map(len, lines)) - _chars_in(lines, "\n".join(teasers))
    return own >= len(text) * BODY_SHARE and own >= BODY_OVER_TEASER * statistics.median(map(len, teasers))


def _chars_in(lines: list[str], haystack: str) -> int:
    return sum(len(line) for line in lines if line in haystack)
