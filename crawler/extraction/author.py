"""The author: JSON-LD, meta, byline markup; "by" / "بواسطة" / "par" / "كتب" prefixes removed."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

from lxml import html

from .document import Document, class_tokens, text_of
from .lines import is_date_line
from .text import squash

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published)\s+by|by|par|von|بواسطة|بقلم|كتبه|كتبته|كتبت|كتب|الكاتب|الكاتبة|"
    r"المؤلف|author|auteur|autor|"
    # an author link's title in WordPress themes: "View all posts by X", in the served languages
    r"(?:view\s+)?(?:all\s+|more\s+)?posts\s+by|(?:zeige\s+)?alle\s+beiträge\s+von|(?:voir\s+)?tous\s+les\s+articles\s+de|"
    r"(?:ver\s+)?todas\s+las\s+entradas\s+de|(?:عرض\s+)?(?:كل|جميع)\s+(?:المقالات|مقالات|المشاركات|مشاركات)(?:\s+بواسطة)?)"
    r"\s*[:：\-–—]?\s+",
    re.I,
)
_PARTS = re.compile(r"\s[-–—|/·]\s|[,;&|]")  # several authors, or an author and an outlet
_NAME_WORDS = 6  # a part with more words may be a sentence (an author box's bio) rather than a name...
_LOWER_WORDS = 2  # ...when this many of its words are lower case and no name particle ("maps old mule tracks")
_CASELESS_WORDS = 12  # in a script without case (Arabic), only a longer part: "عبد الله بن محمد بن عبد الرحمن"
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "le", "les", "du", "des", "van", "von", "der", "den", "ten",
                        "ter", "da", "das", "do", "dos", "di", "y", "e", "et", "and", "und", "bin", "ibn", "bint",
                        "al", "el", "zu", "af", "av"})
# Byline markup, best first; each kind's first element in document order is read (a Python walk: six
# searches of the whole tree by XPath cost several times one walk).
_BYLINE_KINDS: tuple[Callable[[html.HtmlElement], bool], ...] = (
    lambda n: (n.get("rel") == "author" and _inside(n, lambda a: a.tag == "article"))
    or (n.get("itemprop") == "name" and _inside(n, lambda a: a.get("itemprop") == "author")),
    lambda n: ("author" in (n.get("class") or "") or n.get("rel") == "author") and _inside(n, _is_byline),
    lambda n: "author" in class_tokens(n) and "vcard" in (n.get("class") or ""),
    lambda n: n.get("rel") == "author",
    lambda n: _is_byline(n),
    lambda n: "author-name" in class_tokens(n),
)


def _is_byline(node: html.HtmlElement) -> bool:
    return "byline" in class_tokens(node)


def _inside(node: html.HtmlElement, test: Callable[[html.HtmlElement], bool]) -> bool:
    return any(test(a) for a in node.iterancestors())


def _byline_candidates(doc: Document) -> list[html.HtmlElement]:
    """Every element some byline kind may select: rel=author, itemprop=name, a class naming author or byline."""
    found = []
    for node in doc.tree.iter():
        cls = node.get("class")
        if (cls and ("author" in cls or "byline" in cls)) or node.get("rel") == "author" or node.get("itemprop") == "name":
            found.append(node)
    return found


def clean_author(value: str | None) -> str | None:
    """Strip byline prefixes and trailing separators; None for empty, URLs, long strings, a date and a
    sentence (``_sentence``)."""
    text = squash(value)
    for _ in range(2):
        text = _PREFIX.sub("", text).strip(" :|·,-–—")
    if not text or text.startswith(("http://", "https://", "/")) or len(text) > 80 or "@" in text:
        return None
    if is_date_line(text) or any(_sentence(part.split()) for part in _PARTS.split(text)):
        return None  # a date, or a sentence: the next candidate may name the author
    return text


def _sentence(words: list[str]) -> bool:
    """Words that read as a sentence, not a name: many, several of them lower case ("Omar Haddad maps old mule
    tracks"); a long name keeps its particles ("María del Carmen García de la Fuente")."""
    if len(words) <= _NAME_WORDS:
        return False
    lower = sum(1 for w in words if w[:1].islower() and w.lower() not in _PARTICLES)
    return lower >= _LOWER_WORDS or len(words) > _CASELESS_WORDS


def _jsonld_author(doc: Document) -> str | None:
    for obj in doc.jsonld_articles():
        name = _name(obj.get("author"))
        if name:
            return name
    return None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) if names else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) and value.strip() else None


def extract_author(doc: Document, fallback: str | None = None) -> str | None:
    """First usable author among JSON-LD, meta, byline markup and trafilatura's guess."""
    for candidate in _candidates(doc, fallback):
        name = clean_author(candidate)
        if name:
            return name
    return None


def _candidates(doc: Document, fallback: str | None) -> Iterator[str | None]:
    """Author candidates, best first, each computed only when the ones before it were unusable."""
    yield _jsonld_author(doc)
    yield doc.meta_first("author", "article:author", "dc.creator", "parsely-author")
    candidates = _byline_candidates(doc)
    for kind in _BYLINE_KINDS:
        node = next((n for n in candidates if kind(n)), None)
        if node is not None:
            yield text_of(node)
    yield fallback
