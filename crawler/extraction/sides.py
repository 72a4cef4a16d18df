"""Side blocks: the parts of an extracted body that stand outside the story's own text container.

The densest block (``clean.densest_block``: the element whose paragraphs hold the most unlinked text) is
where the story is written. Trafilatura may keep more than that element: an author box, a "this story
first ran in …" box, a newsletter box set beside the story inside the same ``<article>``. Each such part
is reported with its place in the page, a DOM path (tags from ``<body>`` down, and the box's own
class names without digits: the same on every page of a site's template), and its lines as they
stand in the body. A single page cannot tell an author box from a fact box; the site's other pages can:
the same block, word for word at the same place, on several articles of a site is the site's template
(``pipelines/boilerplate.py`` learns it). Nothing here judges a block; it only says where it stands.
"""

from __future__ import annotations

import re

from lxml import html

from .document import text_of

# Elements whose text may be one body line (trafilatura serialises one block a line); a generic one only
# when it holds no block of its own (a wrapper's text is many lines).
_LINE_TAGS = frozenset({"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "td"})
_GENERIC = frozenset({"div", "span", "strong", "em"})
_BLOCKS = frozenset({"div", "p", "ul", "ol", "dl", "table", "section", "article", "aside", "header", "footer",
                     "nav", "form", "figure", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "li", "main"})
_DIGIT = re.compile(r"\d")
MIN_SIDE_WORDS = 8  # a block shorter than this (a label, a one-word credit) is left to the line rules


def side_blocks(cleaned: html.HtmlElement, densest: html.HtmlElement | None, lines: list[str]) -> tuple[tuple[str, str], ...]:
    """(DOM path, its lines joined by newlines) of each run of ``lines`` that stands in one box outside
    ``densest`` (the story's text container) in the ``cleaned`` tree; a line found inside it too is the
    story's. Empty when there is no densest block or nothing stands outside it."""
    if densest is None or densest.getparent() is None or not lines:
        return ()
    story = text_of(densest)
    wanted = {line for line in lines if line not in story}  # most pages: every line is the story's
    if not wanted:
        return ()
    places = _outside(cleaned, densest, set(densest.iterancestors()), wanted)
    found: list[tuple[str, str]] = []
    run: list[str] = []
    run_box = None
    for line in [*lines, None]:
        box = places.get(line) if line is not None else None
        if run and box is not run_box:
            text = "\n".join(run)
            if len(text.split()) >= MIN_SIDE_WORDS:
                found.append((_path(run_box), text))
            run = []
        if box is not None:
            run.append(line)
        run_box = box
    return tuple(found)


def _outside(cleaned: html.HtmlElement, densest: html.HtmlElement, holders: set, wanted: set[str]) -> dict:
    """For each wanted line, the box outside the story that holds it: the outermost ancestor of the element
    whose text is that line that holds no part of the story (the child of one of ``holders``)."""
    body = cleaned.find(".//body")
    root = body if body is not None else cleaned
    inside = set(densest.iter())
    starts = {line.split(None, 1)[0] for line in wanted}  # an element whose own text starts otherwise is no line
    places: dict[str, html.HtmlElement] = {}
    for node in root.iter(*_LINE_TAGS, *_GENERIC):
        if node in inside or node in holders:
            continue
        lead = node.text.split(None, 1) if node.text else None
        if lead and lead[0] not in starts:
            continue
        if node.tag in _GENERIC and any(child.tag in _BLOCKS for child in node):
            continue
        text = text_of(node)
        if text in wanted and text not in places:
            places[text] = _box(node, holders, root)
    return places


def _box(node: html.HtmlElement, holders: set, root: html.HtmlElement) -> html.HtmlElement:
    while True:
        parent = node.getparent()
        if parent is None or parent is root or parent in holders:
            return node
        node = parent


def _path(box: html.HtmlElement) -> str:
    """Tags from ``<body>`` down to the box, and the box's class names without digits ("post-123" varies)."""
    tags = [a.tag for a in box.iterancestors() if isinstance(a.tag, str)][::-1]
    names = sorted(n for n in (box.get("class") or "").split() if not _DIGIT.search(n))
    return "/".join(tags + [".".join([box.tag, *names])])
