"""The article body: trafilatura on the pre-cleaned tree, serialised one block per line, post-filtered, lead added."""

from __future__ import annotations

import logging
from copy import deepcopy
from functools import lru_cache
from typing import Any, Callable

from lxml import etree, html
from trafilatura import bare_extraction
from trafilatura.settings import Extractor, use_config

from .clean import clean_story
from .fallbacks import MetadataGuesses
from .lead import find_lead, find_marked_lead, with_lead
from .edges import trim_edges
from .lines import filter_lines
from .sides import side_blocks

LOGGER = logging.getLogger(__name__)

# trafilatura's default (250 chars) sends short posts to its whole-page baseline, title and all.
MIN_EXTRACTED_SIZE = 50
_BLOCKS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "code", "div", "cell", "graphic"})


@lru_cache(maxsize=8)
def trafilatura_options(max_date: str | None = None) -> Extractor:
    """Extraction options, built once per distinct ``max_date`` (YYYY-MM-DD); never mutated."""
    params: dict[str, Any] = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}
    if max_date:
        params["max_date"] = max_date
    config = use_config()  # a fresh ConfigParser: the library default stays untouched
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
    return Extractor(
        config=config,
        output_format="python",
        comments=False,
        tables=True,
        with_metadata=False,
        date_params=params,
    )


def run_trafilatura(tree: html.HtmlElement, options: Extractor) -> Any:
    """bare_extraction (which works on its own copy of ``tree``); None when trafilatura finds nothing."""
    try:
        return bare_extraction(tree, options=options)
    except (ValueError, TypeError, AttributeError, etree.LxmlError, RecursionError) as err:
        LOGGER.warning("trafilatura failed: %s", err)
        return None


def printable(text: str) -> str:
    """Drop invisible format characters (soft hyphens, bidi marks, zero-width spaces) as trafilatura does,
    keeping the zero-width (non-)joiners that Persian and Arabic spelling uses."""
    if text.isprintable():
        return text
    return "".join(ch for ch in text if ch.isprintable() or ch.isspace() or ch in "\u200c\u200d")


def body_lines(body: etree._Element | None) -> list[str]:
    """Serialise trafilatura's body XML: one paragraph, heading, list item, quote line... per line."""
    lines: list[str] = []
    if body is None:
        return lines
    buffer: list[str] = []
    _walk(body, lines, buffer)
    _flush(lines, buffer)
    return lines


def _flush(lines: list[str], buffer: list[str]) -> None:
    text = " ".join(printable("".join(buffer)).split())
    if text:
        lines.append(text)
    buffer.clear()


def _walk(node: etree._Element, lines: list[str], buffer: list[str]) -> None:
    if node.text:
        buffer.append(node.text)
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            _flush(lines, buffer)
            _walk(child, lines, buffer)
            _flush(lines, buffer)
        elif tag == "lb":
            _flush(lines, buffer)
        elif tag == "cell":
            buffer.append(" ")
            _walk(child, lines, buffer)
        elif tag:
            _walk(child, lines, buffer)
        if child.tail:
            buffer.append(child.tail)


def extract_body(
    tree: html.HtmlElement, options: Extractor, title: str | None, sitename: str | None, desc: str = "",
    keywords: str | None = None,
) -> tuple[str, MetadataGuesses, Callable[[], tuple[tuple[str, str], ...]]]:
    """Clean a copy of the tree, extract, filter lines, add the lead; returns (text, trafilatura's metadata
    guesses, a call that finds the text's side blocks: ``sides.side_blocks``, wanted for articles only)."""
    cleaned, story = clean_story(deepcopy(tree), title)
    result = run_trafilatura(cleaned, options)
    guesses = MetadataGuesses(cleaned)
    if result is None:
        return "", guesses, lambda: ()
    lines = filter_lines(body_lines(result.body), title=title, sitename=sitename, keywords=keywords)
    lines = trim_edges(lines, cleaned)
    if lines:
        lead = find_lead(cleaned, desc) if desc else None
        if lead:
            lines = with_lead(lines, lead, title)
        else:
            lines = with_lead(lines, find_marked_lead(cleaned, lines[0], title), title, named=True)
    return "\n".join(lines), guesses, lambda: side_blocks(cleaned, story, lines)
