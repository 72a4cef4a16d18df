"""trafilatura's guesses at headline, author and site name: the last resort of each field.

Computed lazily, only for a field blogcrawl's own rules left empty, and without trafilatura's date
search (htmldate), categories and licence, which blogcrawl never reads.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from lxml import etree, html
from trafilatura import metadata as tmeta
from trafilatura.settings import Document as TDocument
from trafilatura.utils import trim

LOGGER = logging.getLogger(__name__)
# A necessary condition of trafilatura's author expressions (as of the version whose expressions hash to
# _AUTHOR_XPATHS_SHA1), checked on the page's attribute values in one pass instead of three expressions with
# a Python regex callback per element: every expression needs one of these attributes to hold one of these
# strings, or an <author> or <rel> element.
_AUTHOR_ATTRIBUTES = etree.XPath("//@class|//@id|//@itemprop|//@data-component|//@data-testid|//@rel",
                                 smart_strings=False)
_AUTHOR_ELEMENTS = etree.XPath("boolean(//author|//rel)")
_AUTHOR_HINT = re.compile(r"uthor|byl|BBL|yline|username|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|"
                          r"journalist-name|screenname|writer")
_AUTHOR_XPATHS_SHA1 = "8a9ca42e2e092025399490bf38432ea57994b6e9"
_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, etree.LxmlError)


class MetadataGuesses:
    """trafilatura's metadata cascade for one (pre-cleaned) tree, field by field on demand."""

    def __init__(self, tree: html.HtmlElement | None) -> None:
        self._tree = tree
        self._base: TDocument | None = None

    def _meta(self) -> TDocument:
        if self._base is None:
            base = TDocument()
            if self._tree is not None:
                try:
                    base = tmeta.examine_meta(self._tree)
                    if base.author and " " not in base.author:
                        base.author = None
                    base = tmeta.extract_meta_json(self._tree, base)
                except Exception as err:  # noqa: BLE001 - trafilatura's JSON-LD reader fails in many ways
                    LOGGER.debug("metadata guesses failed: %r", err)
            self._base = base
        return self._base

    def _guess(self, field: str, finder: Any) -> str | None:
        value = getattr(self._meta(), field, None)
        if value or self._tree is None:
            return value
        try:
            return finder(self._tree)
        except _ERRORS as err:
            LOGGER.debug("%s guess failed: %r", field, err)
            return None

    @property
    def title(self) -> str | None:
        return self._guess("title", tmeta.extract_title)

    @property
    def author(self) -> str | None:
        return self._guess("author", trafilatura_author)

    @property
    def sitename(self) -> str | None:
        name = self._guess("sitename", tmeta.extract_sitename)
        if not name and self._tree is not None:
            try:
                url = tmeta.extract_url(self._tree)
            except _ERRORS:
                url = None
            match = tmeta.META_URL.match(url) if url else None
            return match[1] if match else None
        name = (name or "").lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name or None


def trafilatura_author(tree: html.HtmlElement) -> str | None:
    """``trafilatura.metadata.extract_author(tree)``, without its copy of the whole tree in the usual cases.

    trafilatura prunes a copy (comment lists, sidebars, dates, figures...: ``AUTHOR_DISCARD_XPATHS``) and
    reads the first author expression's first element whose text is 3 to 119 characters long. Every
    expression tests tags and attributes only, so on the unpruned tree the same elements match, plus those
    the pruning removes: an element inside a pruned one is skipped, and one that holds a pruned element
    (whose text the pruning changes) sends the page to trafilatura's own function, as do a ``<rel>``
    element (an author expression reads one's text) and a tree that is part of a document. No match at all: no copy, no pruning.
    """
    if tree.getroottree().getroot() is not tree:  # the expressions search the whole document, a copy its part
        return tmeta.extract_author(tree)
    if not _may_name_author(tree):
        return None
    pruned: set[html.HtmlElement] | None = None
    for expression in tmeta.AUTHOR_XPATHS:
        for elem in expression(tree):
            if pruned is None:
                if tree.find(".//rel") is not None:
                    return tmeta.extract_author(tree)
                pruned = {node for discard in tmeta.AUTHOR_DISCARD_XPATHS for node in discard(tree)}
            if elem in pruned or any(a in pruned for a in elem.iterancestors()):
                continue
            if any(node in pruned for node in elem.iterdescendants()):
                return tmeta.extract_author(tree)
            content = trim(" ".join(elem.itertext()))
            if content and 2 < len(content) < 120:
                return tmeta.normalize_authors(None, content)
    return None


def author_expressions_known() -> bool:
    """Are trafilatura's author expressions the ones ``_AUTHOR_HINT`` was written for?"""
    paths = "\n".join(expression.path for expression in tmeta.AUTHOR_XPATHS)
    return hashlib.sha1(paths.encode()).hexdigest() == _AUTHOR_XPATHS_SHA1


_KNOWN_EXPRESSIONS = author_expressions_known()


def _may_name_author(tree: html.HtmlElement) -> bool:
    """False when no author expression of trafilatura can match anything in ``tree`` (another trafilatura
    version: always True)."""
    if not _KNOWN_EXPRESSIONS or _AUTHOR_ELEMENTS(tree):
        return True
    return bool(_AUTHOR_HINT.search("\x00".join(_AUTHOR_ATTRIBUTES(tree))))
