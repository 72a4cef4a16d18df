"""Pre-clean the lxml tree before trafilatura: drop boilerplate containers, read-also paragraphs, related
boxes (a related heading and the link lists after it).

Every rule is general (roles, tags, class/id vocabulary, label text). The article's own container
(and every ancestor of it or of the headline) is protected, so a wrapper with an unlucky class name
such as ``has-sidebar`` never takes the body with it; so is a tweet the article quotes (Twitter's embed
code), which then sheds the wrapper and class that trafilatura would take for a share box.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from lxml import etree, html

from . import explain
from .document import class_id, linked_chars, short_text, text_of
from .lines import is_related_heading
from .patterns import ALWAYS_NOISE, NOISE_CLASS, NOISE_ROLES, NOISE_TAGS, READ_ALSO, READ_ALSO_PREFIX, normalize
from .stories import drop_other_stories

LOGGER = logging.getLogger(__name__)

_MAIN_CLASSES = ("entry-content", "post-content", "article-content", "article-body", "articlebody", "post-body",
                 "story-body", "story-content", "article__body", "article-text", "td-post-content", "blog-post-body")
_MAIN_CLASS = re.compile("|".join(_MAIN_CLASSES).replace("-", "[-_]"))  # matched on the lower-cased class
_MAIN_TAGS = frozenset({"article", "main", "h1"})
_TEXT_BLOCKS = ("p", "td", "li", "pre", "blockquote", "dd")
_CONTENT_CHARS = 1500
_KEEP_FORM_INSIDE = ("aspnetform", "form1")
# schema.org values that (hidden) microdata blocks spell out as text: never article prose.
_META_ITEMPROPS = frozenset({"keywords", "publisher", "mainentityofpage", "datepublished", "datecreated", "datemodified",
                             "url", "width", "height", "logo", "articlesection", "inlanguage", "wordcount"})
_META_HOLDERS = frozenset({"div", "span", "meta", "time", "link"})
_MAX_PARTS = 12
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Page builders wrap every block, text included, in a generic "widget": judge the rest of the name.
BUILDER_CLASS = re.compile(r"\b(?:elementor-widget-container|elementor-widget|elementor-element|et_pb_widget|so-widget)\b")
_TEASER_WORDS = 60  # a teaser's summary is short
_HEADING_HOLDERS = ("p", "div", "h2", "h3", "h4", "h5", "h6")
_LINKED_SHARE = 0.5
_READ_ALSO_CHARS = 300
_LABEL_CHARS = 80  # a read-also label is shorter: the start of a block tells whether one opens it
_READ_ALSO_START = re.compile(rf"^(?:{READ_ALSO})")
_RELATED_HEADING_CHARS = 80
_BLOCK_TAGS = ("p", "div", "li", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "span", "section")
# The class Twitter's embed code gives a quoted post: inside the article it is quoted text, however its
# wrapper is named ("social-media-embed", "article-tweet" look like share boxes).
_QUOTED_POST = re.compile(r"(?<![\w-])twitter-tweet(?![\w-])")


def densest_block(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The element whose direct text blocks hold the most unlinked text: where the article body is. Never
    a comment: on a page whose readers wrote more than its author, the densest block is first found in
    the comments; it is then looked for again outside every comment box (the page's own if none is left)."""
    best = _densest(tree)
    if best is None or not any(_comment_box(node) for node in (best, *best.iterancestors())):
        return best
    comments = {inner for box in tree.iter() if _comment_box(box) for inner in box.iter()}
    found = _densest(tree, comments)
    return found if found is not None else best


def _densest(tree: html.HtmlElement, skip: set | frozenset = frozenset()) -> html.HtmlElement | None:
    scores: dict[html.HtmlElement, int] = {}
    for para in tree.iter(*_TEXT_BLOCKS):
        parent = para.getparent()
        if parent is not None and para not in skip:
            linked = sum(len(text_of(a)) for a in para.iter("a"))
            scores[parent] = scores.get(parent, 0) + len(text_of(para)) - linked
    return max(scores, key=scores.__getitem__) if scores else None


# A comment thread's box: "comments", "commentlist", "comment-item", "recipe-comments", "page__comment",
# Disqus, WordPress's "respond" (a name part, not "commentary", an opinion section's name).
_COMMENT_BOX = re.compile(r"(?:^|[\s_-])(?:comments?|commentlist|respond)(?:$|[\s_-])|disqus")


def _comment_box(node: html.HtmlElement) -> bool:
    if not isinstance(node.tag, str) or not (node.get("class") or node.get("id")):
        return False
    return _COMMENT_BOX.search(class_id(node)) is not None


def main_candidates(tree: html.HtmlElement) -> list[html.HtmlElement]:
    """Elements that may hold the article: articleBody, <article>, <main>, <h1>, body-like classes."""
    return [node for node in tree.iter(etree.Element) if _is_main(node)]  # elements only: no comments


def _is_main(node: html.HtmlElement) -> bool:
    if node.tag in _MAIN_TAGS or node.get("itemprop") == "articleBody":
        return True
    cls = node.get("class")
    if not cls:
        return False
    cls = cls.lower()  # every name above holds "content", "body" or "text": a cheap test before the pattern
    return ("content" in cls or "body" in cls or "text" in cls) and _MAIN_CLASS.search(cls) is not None


def protected_nodes(tree: html.HtmlElement, densest: html.HtmlElement | None = None) -> set[html.HtmlElement]:
    """The main content candidates and ``densest`` (the densest block), and all their ancestors."""
    keep: set[html.HtmlElement] = set()
    mains = main_candidates(tree)
    for node in mains + ([densest] if densest is not None else []) + quoted_posts(tree, mains):
        while node is not None and node not in keep:
            keep.add(node)
            node = node.getparent()
    return keep


def quoted_posts(tree: html.HtmlElement, mains: list[html.HtmlElement]) -> list[html.HtmlElement]:
    """Embedded posts (a tweet's blockquote) inside an article container (``main_candidates`` other than <h1>)."""
    holders = {m for m in mains if m.tag != "h1"}
    return [q for q in tree.iter("blockquote") if _QUOTED_POST.search(q.get("class") or "")
            and any(a in holders for a in q.iterancestors())]


# Navigation named in camelCase ("navPrimary", "mainNav", "subMenuItem", "footerNav"): the word as one hump
_CAMEL_NAV = re.compile(r"(?:(?<=[a-z])|(?<![A-Za-z]))(?:Nav|Navigation|Navbar|Menu|Sidebar|Footer)(?![a-z])"
                        r"|(?<![A-Za-z])(?:nav|navigation|menu|sidebar|footer)(?=[A-Z])")
_INLINE = frozenset({"a", "span", "strong", "em", "b", "i", "small", "abbr", "code"})


def _is_noise(node: html.HtmlElement) -> bool:
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in NOISE_TAGS:
        return tag != "form" or not any(k in class_id(node) for k in _KEEP_FORM_INSIDE)
    attrib = node.attrib
    if not attrib:  # most elements: nothing below can hold
        return False
    if (attrib.get("itemprop") or "").lower() in _META_ITEMPROPS and tag in _META_HOLDERS:
        return True
    if (attrib.get("role") or "").lower() in NOISE_ROLES:
        return True
    if attrib.get("hidden") is not None or (attrib.get("aria-hidden") or "").lower() == "true":
        return True
    style = attrib.get("style")
    if style:
        style = style.replace(" ", "").lower()
        if "display:none" in style or "visibility:hidden" in style:
            return True
    if tag in _HEADINGS:  # a subheading's anchor-style class ("nav_step_2") says nothing of its text
        return False
    if not attrib.get("class") and not attrib.get("id"):  # no name to judge
        return False
    names = f"{attrib.get('class') or ''} {attrib.get('id') or ''}"  # as class_id, before lower-casing
    if tag not in _INLINE and camel_nav_name(names):
        return True
    return noise_name(names.lower())


@lru_cache(maxsize=4096)
def camel_nav_name(names: str) -> bool:
    """Whether a class and id string (as written) names navigation in camelCase. Memoised per page as
    ``noise_name`` is."""
    return _CAMEL_NAV.search(names) is not None


@lru_cache(maxsize=4096)
def noise_name(names: str) -> bool:
    """Whether a (lower-cased) class and id string names a boilerplate box. Memoised: a page repeats few
    distinct names over many elements (cleared with the other per-page caches)."""
    if "widget" in names or "elementor" in names:
        names = BUILDER_CLASS.sub(" ", names)
    return NOISE_CLASS.search(names) is not None


def _looks_like_content(node: html.HtmlElement) -> bool:
    """Long, link-poor text: a wrapper with an unlucky class name rather than a boilerplate box."""
    text = text_of(node)
    if len(text) < _CONTENT_CHARS:
        return False
    linked = sum(len(text_of(a)) for a in node.iter("a"))
    return linked < 0.4 * len(text) and not ALWAYS_NOISE.search(class_id(node))


def is_read_also(node: html.HtmlElement) -> bool:
    """A short block made of a read-also label and (mostly) a link."""
    text = short_text(node, _READ_ALSO_CHARS)
    if not text or not _READ_ALSO_START.match(normalize(text[:_LABEL_CHARS])):  # cheap: most blocks stop here
        return False
    norm = normalize(text)
    match = READ_ALSO_PREFIX.match(norm)
    if not match:
        return False
    rest = norm[match.end():].strip()
    linked = sum(len(text_of(a)) for a in node.iter("a"))
    return not rest or linked >= 0.5 * len(rest) or len(rest.split()) <= 12


def _drop(node: html.HtmlElement) -> None:
    parent = node.getparent()
    if parent is not None:
        node.drop_tree()


_INLINE_TEXT = frozenset({"a", "span", "b", "strong", "i", "em", "u", "small", "abbr", "sup", "sub", "font", "code",
                          "mark", "time", "q", "cite", "img"})
_LOOSE_WORDS = 8  # words of loose text a container opens with


def paragraphs_from_breaks(root: html.HtmlElement) -> None:
    """A container written as loose text split by ``<br>`` ("First paragraph.<br><br>Second.") gets each
    stretch between breaks (its text and inline elements) set in a ``<p>``, and loses the breaks; its
    blocks stay as they are. Trafilatura loses the stretch before the first ``<br>`` when a headline
    stands above it, and splits a stretch at its links once a block stands in the container. Only a
    container that opens with a paragraph of loose text (some words before its first element): a label
    and a line break ("By Jane<br>March 3"), or text that only follows a block, are left alone."""
    for div in list(root.iter("div")):
        if div.find("br") is not None and len((div.text or "").split()) >= _LOOSE_WORDS:
            _set_paragraphs(div)


def _set_paragraphs(div: html.HtmlElement) -> None:
    """``div``'s loose text and inline elements, in ``<p>``s split where a ``<br>`` or a block stands."""
    children = list(div)
    text, div.text = div.text, None
    out: list[html.HtmlElement] = []
    para: html.HtmlElement | None = None

    def current() -> html.HtmlElement:
        nonlocal para
        if para is None:
            para = html.Element("p")
            out.append(para)
        return para

    def add(chunk: str | None) -> None:
        if not chunk or para is None and chunk.isspace():
            return
        holder = current()
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + chunk
        else:
            holder.text = (holder.text or "") + chunk

    add(text)
    for child in children:
        tail, child.tail = child.tail, None
        div.remove(child)
        if child.tag == "br":
            para = None
        elif not isinstance(child.tag, str) or child.tag in _INLINE_TEXT:
            current().append(child)
        else:
            para = None
            out.append(child)
        add(tail)
    div.extend(out)


def _captions_to_paragraphs(root: html.HtmlElement) -> None:
    """trafilatura drops <figure> without images; an article's captions are text, keep them."""
    for caption in root.iter("figcaption"):
        caption.tag = "p"
    for figure in root.iter("figure"):
        figure.tag = "div"


def clean_tree(tree: html.HtmlElement, title: str | None = None) -> html.HtmlElement:
    """Remove boilerplate from ``tree`` in place and return it; ``title``: the page's, to tell its story
    from the other stories on the page (``stories``)."""
    return clean_story(tree, title)[0]


def clean_story(tree: html.HtmlElement, title: str | None = None) -> tuple[html.HtmlElement, html.HtmlElement | None]:
    """``clean_tree``, and the story's text container in the cleaned tree (the densest block, or the
    container its split parts were joined into; None when the page has no text block)."""
    explain.index_tree(tree)
    drop_other_stories(tree, title)
    for template in list(tree.iter("template")):  # inert markup a script fills in, never shown as it stands
        explain.removed(template, explain.CONTAINER)
        _drop(template)
    paragraphs_from_breaks(tree)  # first: the densest block is told by its paragraphs
    densest = densest_block(tree)  # once: protected, so it survives the cleaning below
    keep = protected_nodes(tree, densest)
    body = tree.find(".//body")
    root = body if body is not None else tree
    drop_noise(root, keep)
    drop_related_boxes(root, keep)
    for node in list(root.iter(*_BLOCK_TAGS)):
        if node.getparent() is not None and node not in keep and is_read_also(node):
            explain.removed(node, "read-also line")
            _drop(node)
    _captions_to_paragraphs(root)
    unwrap_quoted_posts(root, keep)
    densest = join_split_body(root, densest)
    demote_leading_cards(root, densest)
    return tree, densest


def demote_leading_cards(root: html.HtmlElement, densest: html.HtmlElement | None) -> None:
    """The ``<article>`` elements before the story's own that are cards (a call-to-action box, a teaser in the
    header) become ``<div>``: trafilatura takes the page's first ``<article>`` for the body. A card holds
    neither the headline (``<h1>``) nor the densest text block, and less than a quarter of that block's text."""
    if densest is None:
        return
    body_chars = len(text_of(densest))
    inside = set(densest.iterancestors())
    for node in list(root.iter("article")):
        if node in inside or node is densest or next(node.iter("h1"), None) is not None \
                or 4 * len(text_of(node)) >= body_chars:
            return
        node.tag = "div"


def drop_noise(root: html.HtmlElement, keep: set[html.HtmlElement]) -> None:
    """Drop the noise elements, top down (an element is judged before its descendants, and the inside of a
    dropped one is never visited)."""
    stack = [root]
    while stack:
        for node in list(stack.pop()):
            if not isinstance(node.tag, str):
                continue
            if node not in keep and _is_noise(node) and not _looks_like_content(node):
                explain.removed(node, explain.CONTAINER)
                _drop(node)
            else:
                stack.append(node)


def unwrap_quoted_posts(root: html.HtmlElement, keep: set[html.HtmlElement]) -> None:
    """A kept embedded post replaces the wrappers that hold only it, and sheds its embed class: trafilatura
    judges boilerplate by such names ("embed", "social", "tweet")."""
    for quote in [q for q in root.iter("blockquote") if q in keep and _QUOTED_POST.search(q.get("class") or "")]:
        text = text_of(quote)
        outer = quote
        for wrapper in quote.iterancestors():
            if wrapper is root or _is_main(wrapper) or text_of(wrapper) != text:
                break
            outer = wrapper
        quote.attrib.pop("class", None)
        if outer is not quote:
            quote.tail = outer.tail
            outer.getparent().replace(outer, quote)


def _is_link_list(node: html.HtmlElement, text: str) -> bool:
    """Mostly link text, or a list whose every item holds a link."""
    if node.tag in ("ul", "ol"):
        items = node.findall("li")
        return bool(items) and all(item.find(".//a") is not None for item in items)
    return linked_chars(node) >= _LINKED_SHARE * len(text)


def _is_teaser(node: html.HtmlElement, text: str) -> bool:
    """A teaser card: a linked headline opening it, and at most a short summary after."""
    if len(text.split()) > _TEASER_WORDS + 20:
        return False
    headline = next((linked for linked in map(text_of, node.iter("a")) if linked), "")
    return len(headline) >= 15 and text.startswith(headline[:15])


def drop_related_boxes(root: html.HtmlElement, keep: set[html.HtmlElement]) -> None:
    """A related-content heading ("Don't miss", "More great X stories") and the link lists right after it."""
    for node in list(root.iter(*_HEADING_HOLDERS)):
        if node.getparent() is None or node in keep:
            continue
        text = short_text(node, _RELATED_HEADING_CHARS)
        if not text or not is_related_heading(text):
            continue
        node = _outermost_holder(node, text, root)
        dropped = False
        summary_allowed = False  # right after a linked teaser headline, its summary paragraph
        sibling = node.getnext()
        while sibling is not None and sibling not in keep:
            following = sibling.getnext()
            sib_text = text_of(sibling)
            if isinstance(sibling.tag, str) and sib_text:
                if sibling.tag in _HEADINGS:
                    if not _is_link_list(sibling, sib_text):  # a teaser headline is a link
                        break
                    summary_allowed = True
                elif summary_allowed and sibling.tag == "p" and len(sib_text.split()) <= _TEASER_WORDS:
                    summary_allowed = False
                elif _is_link_list(sibling, sib_text) or _is_teaser(sibling, sib_text):
                    summary_allowed = False
                else:
                    break
                explain.removed(sibling, "related links after a related heading")
                sibling.drop_tree()
                dropped = True
            sibling = following
        if dropped:
            explain.removed(node, "related heading")
            _drop(node)


def _outermost_holder(node: html.HtmlElement, text: str, root: html.HtmlElement) -> html.HtmlElement:
    """The outermost element that holds only the heading ``text`` and has nothing after it but in its
    parent: "<li><div><span>Related</span></div></li>" heads the list items after the <li>."""
    parent = node.getparent()
    while (node.getnext() is None and parent is not None and parent is not root
           and text_of(parent) == text):
        node, parent = parent, parent.getparent()
    return node


def join_split_body(root: html.HtmlElement, densest: html.HtmlElement | None) -> html.HtmlElement | None:
    """An article body cut into several same-class containers (ads in between) becomes one container.

    The densest block (``densest_block``, found once before cleaning) names by its class its
    siblings-in-role (same tag and class, same grandparent); their children move, in page order, into
    the first of them. Listings, where each part sits in its own
    <article> or under its own heading, are left alone. Parts of one parent with no heading between
    them are one body, whatever stands above the first (the page's headline).

    Returns the story's container afterwards: the first part when the parts were joined, else ``densest``.
    """
    cls = densest.get("class") if densest is not None else None
    if not cls or densest.tag in ("body", "html"):
        return densest
    parts = [n for n in root.iter(densest.tag) if n.get("class") == cls]
    if len(parts) < 2 or len(parts) > _MAX_PARTS:
        return densest
    if any(a is not b and (a in b.iterancestors() or b in a.iterancestors()) for a in parts for b in parts):
        return densest
    if len({_article_of(n) for n in parts}) > 1 or len({_grandparent(n) for n in parts}) > 1:
        return densest
    if sum(_titled(n) for n in parts) > 1 and not _unbroken(parts):  # a listing: entries under their headings
        return densest
    first = parts[0]
    for part in parts[1:]:
        if part.getparent() is None or not text_of(part):
            continue
        if part.text and part.text.strip():
            loose = html.Element("p")
            loose.text = part.text
            first.append(loose)
        for child in list(part):
            first.append(child)
        part.drop_tree()
    return first


def _titled(node: html.HtmlElement) -> bool:
    """A heading next to ``node`` inside its parent (not inside ``node`` itself)."""
    parent = node.getparent()
    if parent is None:
        return False
    return any(node not in h.iterancestors() for h in parent.iter("h1", "h2", "h3"))


def _unbroken(parts: list[html.HtmlElement]) -> bool:
    """The parts are children of one parent, and no heading stands among them (from the first to the last)."""
    parent = parts[0].getparent()
    if any(n.getparent() is not parent for n in parts):
        return False
    for sibling in parts[0].itersiblings():
        if sibling is parts[-1]:
            return True
        if isinstance(sibling.tag, str) and next(sibling.iter(*_HEADINGS), None) is not None:
            return False
    return False


def _grandparent(node: html.HtmlElement) -> html.HtmlElement | None:
    parent = node.getparent()
    return parent.getparent() if parent is not None else None


def _article_of(node: html.HtmlElement) -> html.HtmlElement | None:
    return next((a for a in node.iterancestors("article")), None)
