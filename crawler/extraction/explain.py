"""Explain mode: which text blocks of a page extraction removed, and why.

``extract(snapshot, explain=Explanation())`` runs the usual extraction while the steps that drop text
(the tree cleaner, the line filter) report each drop here with its reason: one ``removed(...)`` call at
each drop site. Off (the default) a call is one context-variable lookup; the collector lives only for
the duration of that ``extract`` call, so extraction stays a pure function of its input.

``explain_blocks`` then lays the page's own text blocks out in order, each kept or removed with the
reason extraction gave (a block no step reported is one trafilatura left out of the article).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from lxml import etree, html

from .patterns import (ATTRIBUTION, BYLINE, COMMENT_POLICY, CONTACT, COPYRIGHT, COURTESY, CREDIT, LABEL_LINES,
                       NEWSROOM_NOTE, NOISE_CLASS, NOISE_ROLES, NOISE_TAGS, PAGE_INFO, PAGE_WIDGET, PROMO,
                       READ_ALSO_PREFIX, SOURCE, SUBSCRIBE, VIEWS_DISCLAIMER, normalize)
from .text import fold

# Reasons given at the drop sites; the two generic ones are made precise from what matched.
CONTAINER = "boilerplate container"
NOISE_LINE = "interface line"
NOT_IN_ARTICLE = "not the article's text (left out by trafilatura)"
HEADLINE = "the headline (stored as the title)"
SITE_BOILERPLATE = "site boilerplate (a line most of this site's articles carry, or a box several repeat beside the story)"

_ACTIVE: ContextVar[Explanation | None] = ContextVar("blogcrawl_explain", default=None)


@dataclass(frozen=True, slots=True)
class Removal:
    """Text one extraction step dropped: an element (``span``: its first and last element in page order, and
    its text blocks) or body lines (``span`` None)."""

    texts: tuple[str, ...]
    reason: str
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One text block of the page, in page order: kept in the article, or removed and why."""

    text: str
    tag: str
    kept: bool
    reason: str | None = None


@dataclass(slots=True)
class Explanation:
    """The collector: what each step removed, in the order the steps ran."""

    removals: list[Removal] = field(default_factory=list)
    elements: int = 0  # elements of the indexed tree (a check that spans refer to the same page)
    _spans: dict = field(default_factory=dict, repr=False)  # element of the cleaned copy -> (first, last)


@contextmanager
def collecting(explanation: Explanation) -> Iterator[Explanation]:
    """Drops reported inside the block go to ``explanation``."""
    token = _ACTIVE.set(explanation)
    try:
        yield explanation
    finally:
        _ACTIVE.reset(token)
        explanation._spans = {}


def index_tree(tree: html.HtmlElement) -> None:
    """The cleaner is about to work on ``tree`` (a copy of the page): number its elements in page order,
    so a dropped element can be told apart from another one with the same text."""
    explanation = _ACTIVE.get()
    if explanation is None:
        return
    explanation._spans = spans(tree)
    explanation.elements = len(explanation._spans)


def spans(tree: html.HtmlElement) -> dict:
    """Each element of ``tree``: (its number in page order, the number of its last descendant)."""
    first: dict = {}
    found: dict = {}
    count = 0
    for event, node in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            first[node] = count
            count += 1
        else:
            found[node] = (first[node], count - 1)
    return found


def removed(what: html.HtmlElement | str | Sequence[str], reason: str) -> None:
    """A drop site: ``what`` (an element, a line or lines) leaves the article because of ``reason``."""
    explanation = _ACTIVE.get()
    if explanation is None:
        return
    if isinstance(what, html.HtmlElement):
        texts = tuple(text for _, _, text in text_blocks(what))
        reason = container_reason(what) if reason == CONTAINER else reason
        explanation.removals.append(Removal(texts, reason, explanation._spans.get(what)))
        return
    for line in [what] if isinstance(what, str) else what:
        explanation.removals.append(Removal((line,), line_reason(line) if reason == NOISE_LINE else reason))


def dropped(before: Sequence[str], after: Sequence[str], reason: str) -> None:
    """A filter step: the lines of ``before`` missing from ``after`` (kept in order) were removed."""
    if _ACTIVE.get() is None or len(before) == len(after):
        return
    rest = iter(after)
    following = next(rest, None)
    for line in before:
        if line is following:
            following = next(rest, None)
        else:
            removed(line, reason)


# --- reasons, from the vocabulary the step matched -------------------------------------------------

_CLASS_REASONS = (
    (r"skip-link|screen-reader-text|sr-only|visually-hidden", "skip link / screen-reader text"),
    (r"shares?|sharing|sharedaddy|sharethis|social|socials|addtoany|a2a", "share bar"),
    (r"comments?|commentlist|comment-list|comment-respond|respond|disqus", "comment block"),
    (r"related|yarpp|relatedposts|jp-relatedposts|read-also|readalso|see-also|also-read|more-stories|"
     r"recommended|outbrain|taboola|most-read|most-popular|trending|wp-block-latest-posts", "related / read-also box"),
    (r"newsletter|subscribe|subscription|mailchimp|mc4wp|signup|optin", "newsletter box"),
    (r"cookies?|consent|gdpr", "cookie notice"),
    (r"authorbox|author-box|author-bio|authorbio|about-author|author-info|post-author|author-card", "author box"),
    (r"breadcrumbs?", "breadcrumbs"),
    (r"post-navigation|post-nav|nav-links|nav-previous|nav-next|pagination|pager", "previous / next links"),
    (r"navigation|nav|navbar|menu", "menu"),
    (r"sidebar|widgets?", "sidebar"),
    (r"tags-links|tag-links|post-tags|entry-tags|tagcloud|tags|cat-links|wp-block-tag-cloud", "tag list"),
    (r"advert|advertisement|ads|adsbygoogle|ad-slot|ad-container", "advertisement"),
    (r"popup|modal|promo", "pop-up / promotion"),
    (r"site-footer|footer", "footer"),
    (r"site-header|masthead|topbar|top-bar", "site header"),
    (r"reading-time|read-time|byline|entry-meta|post-meta|meta-info", "post meta (date, author, reading time)"),
    (r"credits?", "credits"),
    (r"print-only", "print-only text"),
)
_CLASS_TABLE = tuple((re.compile(rf"^(?:{pattern})$"), label) for pattern, label in _CLASS_REASONS)
_TAG_REASONS = {"nav": "menu", "menu": "menu", "aside": "sidebar", "footer": "footer", "form": "form",
                "button": "button", "select": "form", "dialog": "pop-up / promotion", "iframe": "embedded frame"}
_ROLE_REASONS = {"navigation": "menu", "banner": "site header", "contentinfo": "footer", "search": "search form",
                 "complementary": "sidebar", "dialog": "pop-up / promotion", "alertdialog": "pop-up / promotion"}
_WORD = re.compile(r"[\w-]+")


def container_reason(node: html.HtmlElement) -> str:
    """What a dropped container was, from its tag, role, visibility or class name."""
    tag = node.tag if isinstance(node.tag, str) else ""
    role = (node.get("role") or "").lower()
    if tag in NOISE_TAGS:
        return _TAG_REASONS.get(tag, CONTAINER)
    if role in NOISE_ROLES:
        return _ROLE_REASONS.get(role, CONTAINER)
    style = (node.get("style") or "").replace(" ", "").lower()
    if node.get("hidden") is not None or (node.get("aria-hidden") or "").lower() == "true" or "display:none" in style:
        return "hidden element"
    names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
    match = NOISE_CLASS.search(names)
    if match:
        fragment = match.group(0).strip(" _-")
        for pattern, label in _CLASS_TABLE:
            if pattern.match(fragment):
                return f"{label} (class {fragment!r})"
        return f"{CONTAINER} (class {fragment!r})"
    if node.get("itemprop"):
        return f"page metadata (itemprop {node.get('itemprop')!r})"
    return CONTAINER


_LINE_REASONS = (
    (lambda n: READ_ALSO_PREFIX.match(n), "read-also line"),
    (lambda n: n in LABEL_LINES or n.rstrip(" :：") in LABEL_LINES, "interface label (share, skip link, menu, tags...)"),
    (lambda n: PROMO.search(n) or SUBSCRIBE.search(n), "promotion / subscription call"),
    (lambda n: COMMENT_POLICY.search(n), "comment rules"),
    (lambda n: VIEWS_DISCLAIMER.search(n), "views disclaimer"),
    (lambda n: ATTRIBUTION.search(n), "'originally published' line"),
    (lambda n: COPYRIGHT.search(n), "copyright line"),
    (lambda n: NEWSROOM_NOTE.search(n), "newsroom note"),
    (lambda n: CREDIT.match(n) or COURTESY.match(n), "photo credit"),
    (lambda n: CONTACT.search(n), "contact / follow line"),
    (lambda n: SOURCE.match(n) or PAGE_INFO.match(n) or PAGE_WIDGET.match(n), "source / page-information line"),
    (lambda n: BYLINE.search(n), "byline / reading time"),
)


def line_reason(line: str) -> str:
    """Which interface vocabulary a dropped body line matched."""
    from .lines import _MACHINE_VALUE, is_tag_list  # the line filter imports this module

    norm = normalize(line)
    if _MACHINE_VALUE.match(norm):
        return "machine value (hidden metadata)"
    if is_tag_list(norm):
        return "tag list"
    for test, label in _LINE_REASONS:
        if test(norm):
            return label
    return NOISE_LINE


# --- the page's blocks, in order ----------------------------------------------------------------------

_BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "tr", "td", "th", "caption", "figure", "figcaption", "section", "article", "header", "footer",
    "nav", "aside", "main", "form", "fieldset", "legend", "address", "details", "summary", "hr", "br", "button",
    "label", "time", "body", "html",
})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "option", "svg", "textarea"})


@dataclass(frozen=True, slots=True)
class _Piece:
    owner: html.HtmlElement  # the block element
    text: str
    sources: tuple  # the elements whose own text (or the text right after them, for tails: their parent) it is


def text_blocks(root: html.HtmlElement) -> list[tuple[html.HtmlElement, str, str]]:
    """The visible text of ``root`` cut at block elements, in document order: (block element, tag, text)."""
    return [(p.owner, p.owner.tag if isinstance(p.owner.tag, str) else "", p.text) for p in _pieces(root)]


def _pieces(root: html.HtmlElement) -> list[_Piece]:
    blocks: list[_Piece] = []
    buffer: list[tuple[str, html.HtmlElement]] = []
    _walk(root, root, blocks, buffer)
    _flush(blocks, buffer, root)
    return blocks


def _flush(blocks: list[_Piece], buffer: list, owner: html.HtmlElement) -> None:
    text = " ".join("".join(t for t, _ in buffer).split())
    if text:
        blocks.append(_Piece(owner, text, tuple(dict.fromkeys(n for t, n in buffer if t.strip()))))
    buffer.clear()


def _walk(node: html.HtmlElement, owner: html.HtmlElement, blocks: list[_Piece], buffer: list) -> None:
    if node.text:
        buffer.append((node.text, node))
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in _SKIP_TAGS:
            if tag in _BLOCK_TAGS:
                _flush(blocks, buffer, owner)
                _walk(child, child, blocks, buffer)
                _flush(blocks, buffer, child)
            else:
                _walk(child, owner, blocks, buffer)
        if child.tail:
            buffer.append((child.tail, node))


def explain_blocks(tree: html.HtmlElement, text: str, explanation: Explanation, *, title: str | None = None,
                   boilerplate: Iterable[str] = ()) -> list[Block]:
    """The blocks of the page ``tree`` (parsed as extraction parsed it) in order: removed with the reason of
    the step that dropped their elements, else kept when their text is in the article ``text``, else removed
    with the reason a line filter gave (or as left out by trafilatura). ``boilerplate`` lines (the site's
    learned ones) are removed too."""
    kept_lines = {fold(line) for line in text.splitlines()} - {""}
    kept_joined = "\n".join(fold(line) for line in text.splitlines())
    site_lines = {fold(part) for line in boilerplate for part in line.splitlines()} - {""}  # a block: its lines
    positions = spans(tree)
    by_span = [r for r in explanation.removals if r.span] if explanation.elements == len(positions) else []
    reasons: dict[str, str] = {}
    for removal in explanation.removals:
        if removal.span is None or not by_span:
            for piece in removal.texts:
                reasons.setdefault(fold(piece), removal.reason)
    body = tree.find(".//body")
    blocks = []
    for piece in _pieces(body if body is not None else tree):
        key = fold(piece.text)
        if not key:
            continue
        tag = piece.owner.tag if isinstance(piece.owner.tag, str) else ""
        dropped_by = _dropped_by([positions.get(n, (-1, -1))[0] for n in piece.sources], by_span)
        if dropped_by:
            blocks.append(Block(piece.text, tag, False, dropped_by))
        elif key in site_lines:
            blocks.append(Block(piece.text, tag, False, SITE_BOILERPLATE))
        elif key in kept_lines or len(key) >= 12 and key in kept_joined:
            blocks.append(Block(piece.text, tag, True))
        else:
            blocks.append(Block(piece.text, tag, False, _reason(key, reasons, fold(title), piece.owner)))
    return blocks


def _dropped_by(where: list[int], removals: list[Removal]) -> str | None:
    """The reason of the first element removal covering every source of a block."""
    for removal in removals:
        first, last = removal.span  # type: ignore[misc]
        if where and all(first <= w <= last for w in where):
            return removal.reason
    return None


def _reason(key: str, reasons: dict[str, str], title_key: str, owner: html.HtmlElement) -> str:
    if key in reasons:
        return reasons[key]
    if title_key and key == title_key:
        return HEADLINE
    for piece, reason in reasons.items():  # a block cut differently from the step's line
        if len(key) >= 12 and key in piece or len(piece) >= 12 and piece in key:
            return reason
    for node in [owner, *owner.iterancestors()]:  # where trafilatura's own rules found it
        label = container_reason(node)
        if label != CONTAINER:
            return f"{label}; left out by trafilatura"
    return NOT_IN_ARTICLE


def format_removed(blocks: Iterable[Block]) -> list[str]:
    """One line per removed block: ``[reason] text`` (long texts shortened)."""
    lines = []
    for block in blocks:
        if not block.kept:
            text = block.text if len(block.text) <= 100 else block.text[:97] + "..."
            lines.append(f"[{block.reason}] {text}")
    return lines


def explain_page(snapshot, *, boilerplate: Iterable[str] = ()) -> tuple[object, list[Block]]:
    """Extract ``snapshot`` (a PageSnapshot) in explain mode: (Extracted, the page's blocks)."""
    from . import extract
    from .decode import NotHtml, decode_html
    from .document import parse_html

    explanation = Explanation()
    result = extract(snapshot, explain=explanation)
    try:
        doc = parse_html(decode_html(snapshot.body, snapshot.http_charset), snapshot.url) if snapshot.body else None
    except NotHtml:
        doc = None
    if doc is None:
        return result, []
    return result, explain_blocks(doc.tree, result.text, explanation, title=result.title, boilerplate=boilerplate)
