"""Teaser lists, and whether the extracted body stands apart from them.

A listing is several comparable teasers (``<article>`` cards, headings with a link in a card) and no
body of its own: what extraction keeps of it is teaser text. A news article or post often carries
teaser lists too (related stories, most read, more from the section), but its body lies outside them
and outweighs any single teaser. ``dominant_body`` tells the two apart from the page's own structure;
no phrase or class of one site is involved.

A teaser links to one post of the same site: its heading's link, else the one post link it holds (not
the page itself, an anchor, the site root, an archive, a file or another site). A card that links to
no post is not a teaser (a CMS that wraps each section of one story in ``<article>``, a listicle's items
that link out), nor is one that links to several posts without a heading (a "most read" box); and the
teasers must link to several different posts (a "next report" link twice is one).
"""

from __future__ import annotations

import posixpath
import statistics
from urllib.parse import urljoin, urlsplit

from lxml import html

from .archives import archive_url
from .document import Document
from .text import squash

TEASER_HEADING_XPATH = "//*[self::h2 or self::h3][contains(@class, 'title') or ancestor::article][a[@href]]"
MIN_TEASERS = 3  # "several": fewer cards are a pair of links, not a list
BODY_SHARE = 0.5  # the body's own text (outside teasers) is at least half of what was extracted ...
BODY_OVER_TEASER = 2.0  # ... and at least twice the median teaser
_NOT_PAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".doc", ".docx", ".xls", ".xlsx",
                        ".ppt", ".pptx", ".zip", ".mp3", ".mp4", ".xml", ".rss"})  # a link to a file is no post


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


def teasers(doc: Document, text: str) -> list[tuple[str, str]]:
    """(post URL, text) of the page's teaser cards. A card that holds another card is a section, a card
    that holds most of the extracted text is the page's own post, and a card that links to no one post
    of the site is no teaser."""
    cards = {id(c): c for c in _cards(doc)}
    inner = set()
    for card in cards.values():
        inner.update(id(a) for a in card.iterancestors() if id(a) in cards)
    lines = [line for line in map(squash, text.splitlines()) if line]
    found = []
    for key, card in cards.items():
        value = squash(card.text_content())
        if key in inner or not value:
            continue
        if len(value) >= len(text) * BODY_SHARE and _chars_in(lines, value) >= len(text) * BODY_SHARE:
            continue
        target = _target(doc, card)
        if target:
            found.append((target, value))
    return found


def is_teaser_list(doc: Document, text: str) -> bool:
    """Teasers of several different posts and no dominant body: the page lists posts."""
    found = teasers(doc, text)
    if len({target for target, _ in found}) < MIN_TEASERS:
        return False
    return not dominant_body(text, [value for _, value in found])


def _target(doc: Document, card: html.HtmlElement) -> str | None:
    """The post a card links to: its teaser heading's link, else its only post link; None when it links
    to no post, or to several without a heading (a box of links, not one teaser)."""
    for heading in card.iter("h2", "h3"):
        for link in heading.iterchildren("a"):
            post = _post_link(doc.url, link.get("href"))
            if post:
                return post
    posts = {p for p in (_post_link(doc.url, a.get("href")) for a in card.iter("a")) if p}
    return posts.pop() if len(posts) == 1 else None


def _post_link(page_url: str, href: str | None) -> str | None:
    """``href`` made absolute if it may be a post of the page's site: not the page itself (an anchor),
    not the site root, an archive, a file or another site. A saved page (no URL) takes every page link."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        url = urljoin(page_url, href).split("#", 1)[0]
        parts, page = urlsplit(url), urlsplit(page_url)
    except ValueError:  # a mangled URL ("http://[x")
        return None
    if parts.scheme not in ("http", "https", "") or url.rstrip("/") == page_url.split("#", 1)[0].rstrip("/"):
        return None
    if page.hostname and parts.hostname and not _same_site(parts.hostname, page.hostname):
        return None
    if archive_url(url) or posixpath.splitext(parts.path)[1].lower() in _NOT_PAGES:
        return None
    return url


def _same_site(host: str, other: str) -> bool:
    """The same host, or one a subdomain of the other (www.x, m.x, news.x and x are one site)."""
    host, other = host.lower().removeprefix("www."), other.lower().removeprefix("www.")
    return host == other or host.endswith("." + other) or other.endswith("." + host)


def dominant_body(text: str, teasers: list[str]) -> bool:
    """The extracted text is mostly outside the teasers and outweighs a typical one."""
    lines = [line for line in map(squash, text.splitlines()) if line]
    own = sum(map(len, lines)) - _chars_in(lines, "\n".join(teasers))
    return own >= len(text) * BODY_SHARE and own >= BODY_OVER_TEASER * statistics.median(map(len, teasers))


def _chars_in(lines: list[str], haystack: str) -> int:
    return sum(len(line) for line in lines if line in haystack)
