"""trafilatura's guesses at headline, author and site name: the last resort of each field.

Computed lazily, only for a field blogcrawl's own rules left empty, and without trafilatura's date
search (htmldate), categories and licence, which blogcrawl never reads.
"""

from __future__ import annotations

import logging
from typing import Any

from lxml import etree, html
from trafilatura import metadata as tmeta
from trafilatura.settings import Document as TDocument

LOGGER = logging.getLogger(__name__)
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
        return self._guess("author", tmeta.extract_author)

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
