"""The headline: h1 of the article first, then og:title / JSON-LD headline / <title>, site name stripped."""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import urljoin, urlsplit

from lxml import html

from .document import Document, class_tokens, text_of
from .text import fold, squash

_SEPARATORS = re.compile(r"\s+(?:[|–—•·»«:]|-{1,2}|::)\s+")


def strip_site(title: str, sitename: str | None) -> str:
    """Remove a "headline – site" / "site | headline" decoration."""
    title = squash(title)
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if sitename:
        site = fold(sitename)
        kept = [p for p in parts if fold(p) != site]
        if kept and len(kept) < len(parts):
            return squash(" - ".join(kept)) if len(kept) > 1 else kept[0]
    longest = max(parts, key=len)
    # only trust the split when the dropped parts are short, site-name-like
    if all(len(p) <= 0.6 * len(longest) for p in parts if p is not longest):
        return longest
    return title


def is_home_link(doc: Document, node: html.HtmlElement) -> bool:
    """A heading that is only a link to the site's home page: the site name, not a headline."""
    links = [a for a in node.iter("a") if a.get("href") is not None]
    if len(links) != 1 or fold(text_of(links[0])) != fold(text_of(node)):
        return False
    if links[0].get("rel") == "home":
        return True
    try:
        return urlsplit(urljoin(doc.url, links[0].get("href", ""))).path in ("", "/")
    except ValueError:  # a mangled href ("http://[x"): not a link home
        return False


def _inside(node: html.HtmlElement, tag: str) -> bool:
    return any(a.tag == tag for a in node.iterancestors())


def _heading_groups(doc: Document) -> Iterator[list[html.HtmlElement]]:
    """Headline candidates, best kind first, each in document order: h1-h3 of class entry-title, then
    post-title, h1/h2 with itemprop=headline, the h1s of an article, of main, every h1. One walk collects
    the page's h1-h3 (a search of the whole tree per kind costs more than the rest of the title)."""
    headings = list(doc.tree.iter("h1", "h2", "h3"))
    h1s = [node for node in headings if node.tag == "h1"]
    yield [node for node in headings if "entry-title" in class_tokens(node)]
    yield [node for node in headings if "post-title" in class_tokens(node)]
    yield [node for node in headings if node.tag != "h3" and node.get("itemprop") == "headline"]
    yield [node for node in h1s if _inside(node, "article")]
    yield [node for node in h1s if _inside(node, "main")]
    yield h1s


def _h1_candidates(doc: Document) -> list[str]:
    seen: list[str] = []
    for group in _heading_groups(doc):
        for node in group:
            if is_home_link(doc, node):
                continue
            text = text_of(node)
            if text and text not in seen:
                seen.append(text)
        if seen:
            return seen
    return seen


def _structured(doc: Document) -> list[str]:
    out = [obj.get("headline") or obj.get("name") for obj in doc.jsonld_articles()]
    out += [doc.meta_first("og:title", "twitter:title")]
    return [squash(s) for s in out if isinstance(s, str) and squash(s)]


def extract_title(doc: Document, sitename: str | None) -> str | None:
    """Compare the candidates: an h1 that agrees with the metadata wins, else the cleaned metadata."""
    h1s = _h1_candidates(doc)
    metas = [strip_site(s, sitename) for s in _structured(doc)]
    head = doc.tree.find(".//title")
    page_title = strip_site(text_of(head), sitename) if head is not None else ""
    references = [fold(s) for s in metas + [page_title] if s]
    for h1 in h1s:
        key = fold(h1)
        if key and any(key == ref or (len(key) > 10 and (key in ref or ref in key)) for ref in references):
            return h1
    if len(h1s) == 1 and not metas and fold(h1s[0]) != fold(sitename or ""):
        return h1s[0]
    for candidate in metas + [page_title]:
        if candidate and fold(candidate) != fold(sitename or ""):
            return candidate
    return h1s[0] if h1s else None
