"""What the crawl needs from one fetched HTML page, from one parse of it (run in an extraction worker).

``analyse(snapshot, article=True)`` extracts the article (``crawler.extraction``) and, on the tree that
extraction built, reads the URLs the page names (``crawler.discovery.page_links``) and, when the static
HTML may be a JavaScript shell, the rendering signals (``crawler.rendering``); an article's near-duplicate
signature is made there too (``pipelines.storage.signatures``: CPU the writer thread would otherwise spend
on the main process). ``article=False`` (listing pages) only parses and reads the links. Pure, like
extraction: a function of the bytes, URL and time.
"""

from __future__ import annotations

import logging

from lxml import etree

from crawler.discovery import PageLinks, page_links
from crawler.extraction import extract_document, parse_page
from crawler.extraction.decode import NotHtml
from crawler.items import Extracted, PageSnapshot
from crawler.rendering import render_hint
from pipelines.normalize import tidy_text
from pipelines.storage.signatures import Signature

LOGGER = logging.getLogger(__name__)
_TREE_ERRORS = (ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError)


def analyse(snapshot: PageSnapshot, article: bool = True) -> Extracted:
    if article:
        extracted, doc = extract_document(snapshot)
    else:
        extracted = Extracted(url=snapshot.url, is_article=False, reason="listing")
        try:
            doc = parse_page(snapshot)
        except NotHtml:
            doc = None
    if extracted.is_article and extracted.text:
        extracted.signature = Signature.of(tidy_text(extracted.text))  # what the writer stores, unless it cleans more
    if doc is None:
        extracted.links = PageLinks()
        return extracted
    try:
        extracted.links = page_links(doc.tree, snapshot.url)
        if article:
            extracted.render_hint = render_hint(extracted, doc.tree)
    except _TREE_ERRORS as err:  # never raises: a page whose links cannot be read still has its article
        LOGGER.warning("reading the links of %s failed: %r", snapshot.url, err)
        extracted.links = extracted.links or PageLinks()
    return extracted
