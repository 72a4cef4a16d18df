"""The parsed page: lxml tree plus the metadata every field reads (meta tags, JSON-LD, links)."""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree, html

LOGGER = logging.getLogger(__name__)

_XML_SPACE = re.compile(r"[ \t\n\r]+")  # the whitespace XPath's normalize-space() splits on
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# "<script .../>" followed by code and "</script>": HTML has no self-closing script, a browser runs that code;
# libxml2 closes the tag at "/>" and shows the code as page text. Only where no markup stands between.
_SELF_CLOSED_SCRIPT = re.compile(r"(<script\b[^>]*?)\s*/\s*>(?=[^<]*</script>)", re.I)
# Characters lxml refuses in text (C0 controls but tab, newline and return; non-characters, lone
# surrogates): one in a page would make every later tree edit raise.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ARTICLE_TYPES = frozenset(
    {"article", "blogposting", "newsarticle", "reportage", "analysisnewsarticle", "opinionnewsarticle",
     "reviewnewsarticle", "backgroundnewsarticle", "techarticle", "scholarlyarticle", "liveblogposting",
     "socialmediaposting", "posting"}
)


@dataclass(slots=True)
class Document:
    """A parsed HTML page and its machine-readable metadata."""

    url: str
    tree: html.HtmlElement
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: list[dict[str, Any]] = field(default_factory=list)

    def meta_first(self, *keys: str) -> str | None:
        """The first non-empty meta content among ``keys`` (property or name, lower case)."""
        for key in keys:
            value = self.meta.get(key)
            if value:
                return value
        return None

    def jsonld_articles(self) -> list[dict[str, Any]]:
        """JSON-LD objects whose @type is an article type."""
        return [obj for obj in self.jsonld if jsonld_types(obj) & ARTICLE_TYPES]

    def body_classes(self) -> set[str]:
        body = self.tree.find(".//body")
        return set((body.get("class") or "").lower().split()) if body is not None else set()


def jsonld_types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def parse_html(text: str, url: str, *, xml_safe: bool = False) -> Document | None:
    """Parse markup into a Document; None when there is nothing to parse. ``xml_safe``: the caller knows
    ``text`` holds no character XML refuses (``decode_page``), so it is not searched for them."""
    text = _XML_DECL.sub("", text if xml_safe else _XML_INCOMPATIBLE.sub("", text), count=1)
    text = _SELF_CLOSED_SCRIPT.sub(r"\1>", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):  # "re\u0301fle\u0301chir" is stored, searched as "réfléchir"
        text = unicodedata.normalize("NFC", text)
    if not text.strip():
        return None
    try:
        tree = html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as err:
        LOGGER.debug("unparsable page %s: %s", url, err)
        return None
    if tree is None or not isinstance(tree, html.HtmlElement):
        return None
    return Document(url=url, tree=tree, meta=_read_meta(tree), jsonld=list(_read_jsonld(tree)))


# lxml.html's own class lookup is Python code run for every element a walk touches (a tenth of extraction's
# CPU); the C lookup gives every element the same HtmlElement class (no form-field subclasses, which
# extraction never uses).
_LOOKUP = etree.ElementDefaultClassLookup(element=html.HtmlElement, comment=html.HtmlComment,
                                          pi=html.HtmlProcessingInstruction, entity=html.HtmlEntity)


def _parser() -> html.HTMLParser:
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    parser.set_element_class_lookup(_LOOKUP)
    return parser


def _read_meta(tree: html.HtmlElement) -> dict[str, str]:
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or node.get("http-equiv") or "")
        key = key.strip().lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in meta:
            meta[key] = content
    return meta


def _read_jsonld(tree: html.HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads((script.text or "").strip().rstrip(";"))
        except (ValueError, RecursionError):
            continue
        yield from _flatten(data)


def _flatten(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        if "@type" in data:
            yield data
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten(main, depth + 1)


def text_of(node: html.HtmlElement | None) -> str:
    """Whitespace-normalised text content of an element."""
    if node is None:
        return ""
    if isinstance(node, html.HtmlElement):
        return " ".join(raw_text(node).split())
    return " ".join("".join(node.itertext()).split())


def linked_chars(node: html.HtmlElement) -> int:
    """Characters of the element's text inside its links."""
    return sum(len(text_of(a)) for a in node.iter("a"))


def raw_text(node: html.HtmlElement) -> str:
    """The element's text content (``text_content()``, ``"".join(itertext())``), by lxml's text serialiser:
    the cheapest of the three in C."""
    return etree.tostring(node, method="text", encoding="unicode", with_tail=False)


def short_text(node: html.HtmlElement, limit: int) -> str | None:
    """``text_of(node)`` when it is at most ``limit`` characters long, else None. A long element's text is
    squashed only as far as its first ``2 * limit`` characters when that is enough to decide: the squashed
    start of a text is the start of its squashed form."""
    # in C: cheaper than a Python walk of itertext, even on a page's big containers
    raw = raw_text(node) if isinstance(node, html.HtmlElement) else "".join(node.itertext())
    if len(raw) > limit and len(" ".join(raw[:2 * limit].split())) > limit:
        return None
    text = " ".join(raw.split())
    return text if len(text) <= limit else None


def class_id(node: html.HtmlElement) -> str:
    """The class and id attributes of an element, lower case, for pattern matching."""
    return f"{node.get('class') or ''} {node.get('id') or ''}".lower()


def class_tokens(node: html.HtmlElement) -> list[str]:
    """The class attribute's names, split as XPath's ``contains(concat(' ', normalize-space(@class), ' '),
    ' name ')`` idiom splits them (on XML whitespace only)."""
    return _XML_SPACE.split(node.get("class") or "")
