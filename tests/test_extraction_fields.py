"""The metadata field finders (title, author, site name) and the text helpers they share, on pages written here.

The finders walk the tree in Python instead of running one XPath search of the whole tree per rule; the
reference XPaths below are the rules as they were written before, and each finder must pick what they pick.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import datetime, timezone

import pytest
from lxml import html
from trafilatura import metadata as tmeta

from crawler.extraction.author import extract_author
from crawler.extraction import extract
from crawler.extraction.decode import decode_html, decode_page, looks_binary
from crawler.extraction.document import Document, parse_html, raw_text, short_text, text_of
from crawler.extraction.fallbacks import author_expressions_known, trafilatura_author
from crawler.extraction.sitename import extract_sitename
from crawler.extraction.text import arabic_share
from crawler.extraction.title import extract_title
from crawler.items import PageSnapshot

URL = "https://news.example/2024/05/story/"


def doc(body: str, head: str = "") -> Document:
    parsed = parse_html(f"<html><head>{head}</head><body>{body}</body></html>", URL)
    assert parsed is not None
    return parsed


# ---------------------------------------------------------------- short_text


def test_short_text_is_text_of_when_the_raw_text_passes_the_limit_but_its_squashed_form_does_not():
    """Indentation makes the raw text long; the squashed text is short and must be text_of's (no space
    inserted where the markup had none: the old early exit wrote '( KNA, DR)')."""
    node = html.fromstring("<div>" + "\n    " * 80 + "(<b>KNA</b>, DR)" + "\n  " * 80 + "</div>")
    assert short_text(node, 300) == text_of(node) == "(KNA, DR)"


@pytest.mark.parametrize("limit", [5, 11, 12, 40])
def test_short_text_limit(limit):
    node = html.fromstring("<p>Read <a href='/x'>also</a>:   this</p>")  # text_of: 'Read also: this' (15 chars)
    assert short_text(node, limit) == ("Read also: this" if limit >= 15 else None)


def test_short_text_of_a_long_container_is_none():
    node = html.fromstring("<div>" + "<p>word word word</p>" * 200 + "</div>")
    assert short_text(node, 300) is None


# ---------------------------------------------------------------- title

TITLE_HEAD = "<title>The bridge reopens after two years | City News</title>"


def test_title_prefers_entry_title_over_an_earlier_plain_h1():
    page = doc("<h1>City News</h1><article><h2 class='x  entry-title\tbig'>The bridge reopens after two years</h2></article>",
               TITLE_HEAD)
    assert extract_title(page, "City News") == "The bridge reopens after two years"


def test_title_class_names_are_whole_words():
    """'entry-title-wrap' is not 'entry-title': the h1 inside the article is the headline."""
    page = doc("<h2 class='entry-title-wrap'>Also read</h2><main><h1>Elsewhere</h1></main>"
               "<article><h1>The bridge reopens after two years</h1></article>", TITLE_HEAD)
    assert extract_title(page, "City News") == "The bridge reopens after two years"


def test_title_itemprop_headline_and_home_link_h1():
    page = doc("<h1><a href='/'>City News</a></h1><h2 itemprop='headline'>The bridge reopens after two years</h2>",
               TITLE_HEAD)
    assert extract_title(page, "City News") == "The bridge reopens after two years"


# ---------------------------------------------------------------- author

# The byline rules as XPaths (before they became one walk): each rule's first element is read.
REFERENCE_BYLINES = (
    "//article//*[@rel='author'] | //*[@itemprop='author']//*[@itemprop='name']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]//*[contains(@class, 'author') or @rel='author']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ') and contains(@class, 'vcard')]",
    "//*[@rel='author']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' byline ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' author-name ')]",
)
BYLINE_PAGES = {
    "rel author in article": "<a rel='author' href='/a'>Out Side</a><article><a rel='author' href='/b'>Ann Lee</a></article>",
    "itemprop name": "<span itemprop='name'>Not Her</span><div itemprop='author'><span itemprop='name'>Ann Lee</span></div>",
    "author in byline": "<p class='author'>Stray Name</p><div class='meta byline'><span class='post-author'>Ann Lee</span></div>",
    "vcard": "<span class='vcard author'>Ann Lee</span><span class='author-name'>Not Her</span>",
    "rel author anywhere": "<footer><a rel='author' href='/a'>Ann Lee</a></footer>",
    "byline itself": "<div class='bylines'>Not Her</div><p class='x byline'>By Ann Lee</p>",
    "author-name": "<span class='author-names'>Not Her</span><span class='author-name'>Ann Lee</span>",
    "no byline": "<p class='authority'>Not a name</p><p>Ann Lee wrote this.</p>",
}


def _reference_author(page: Document) -> str | None:
    for xpath in REFERENCE_BYLINES:
        nodes = page.tree.xpath(xpath)
        if nodes:
            return text_of(nodes[0]).removeprefix("By ")
    return None


@pytest.mark.parametrize("name", list(BYLINE_PAGES))
def test_byline_rules_pick_what_the_reference_xpaths_pick(name):
    page = doc(BYLINE_PAGES[name])
    expected = None if name == "no byline" else "Ann Lee"
    assert _reference_author(page) == expected
    assert extract_author(page) == expected


# ---------------------------------------------------------------- site name


@pytest.mark.parametrize("body, expected", [
    ("<div class='site-titles'>No</div><p class='site-title'>Town Blog</p>", "Town Blog"),
    ("<span class='the-site-name'>No</span><span class='site-name'>Town Blog</span>", "Town Blog"),
    ("<footer><div class='site-info'><a rel='home' href='/'>Town Blog</a></div></footer>", "Town Blog"),
    ("<div class='header'><div class='logo-box'><a href='/'>Town Blog</a></div></div><div class='logo'><a>No</a></div>",
     "Town Blog"),
    ("<div class='logo'><a href='/'>No</a></div>", None),  # a logo block outside any header
])
def test_sitename_from_markup(body, expected):
    assert extract_sitename(doc(body)) == expected


# ---------------------------------------------------------------- trafilatura's author guess

GUESS_PAGES = {
    "none": "<article><p>Some text without any byline at all.</p></article>",
    "plain": "<article><span class='author'>Ann Lee</span><p>Text.</p></article>",
    "inside a sidebar": "<div class='sidebar'><span class='author'>Side Bar</span></div><p class='byline'>Ann Lee</p>",
    "holds a pruned date": "<div class='author-name'>Ann <time>2024</time>Lee</div>",
    "only a date inside": "<p class='byline'><time>May 2024</time></p><span class='author'>Ann Lee</span>",
    "rel element": "<div><rel>me</rel>Ann Lee</div>",
}


@pytest.mark.parametrize("name", list(GUESS_PAGES))
def test_author_guess_is_trafilaturas(name):
    tree = doc(GUESS_PAGES[name]).tree
    expected = tmeta.extract_author(deepcopy(tree))
    assert trafilatura_author(tree) == expected


def test_author_guess_shortcut_matches_this_trafilatura():
    """The attribute pre-check is written for these expressions; another trafilatura turns it off."""
    assert author_expressions_known()


# ---------------------------------------------------------------- text helpers


@pytest.mark.parametrize("text, share", [
    ("", 0.0), ("plain ascii text", 0.0), ("über die Brücke", 0.0), ("1234 !!", 0.0),
    ("مرحبا hello", 5 / 10), ("مرحبا بكم", 1.0), ("مرحبا ﻻ ab", 6 / 8),
])
def test_arabic_share(text, share):
    assert arabic_share(text) == pytest.approx(share)


@pytest.mark.parametrize("body, binary", [
    (b"<html>\t\n\r\x0c ok</html>" * 50, False),  # tab, newline, return, form feed are text
    (b"\x01\x02\x03\x1b" * 20 + b"<html>" * 100, True),  # 80 control bytes in 680: over 5%
    (b"\x01" * 10 + b"<html>" * 100, False),  # 10 in 610: under 5%
    (b"%PDF-1.7 ...", True),
])
def test_looks_binary(body, binary):
    assert looks_binary(body) is binary


def test_raw_text_is_text_content():
    node = html.fromstring("<div>a&amp;b&nbsp;<b>bold</b><br>tail <script>var x = 1;</script>"
                           "<span>ü<i>ß</i></span> end</div><p>after</p>".join(["<section>", "</section>"]))
    for element in node.iter():
        assert raw_text(element) == element.text_content() == "".join(element.itertext())
    assert "after" not in raw_text(node.find(".//div"))  # an element's text, not its tail or siblings


@pytest.mark.parametrize("body, safe", [
    ("<p>plain ü text\t\r\n</p>".encode(), True),
    ("<p>a \x0b vertical tab</p>".encode(), False),
    ("<p>a non-character \ufffe</p>".encode(), False),
    ("<p>and \uffff</p>".encode(), False),
    ('<meta charset="windows-1252"><p>caf\xe9</p>'.encode("cp1252"), True),
    ('<meta charset="windows-1252"><p>caf\xe9 \x01</p>'.encode("cp1252"), False),
    ('<meta charset="cp037"><p>x</p>'.encode("ascii"), False),  # EBCDIC: its bytes are not ASCII's
    ("\ufeff<p>x</p>".encode("utf-16-le"), False),
])
def test_decode_page_knows_when_the_text_is_xml_safe(body, safe):
    text, xml_safe = decode_page(body)
    assert xml_safe is safe
    assert text == decode_html(body)


def test_page_with_xml_refused_characters_still_extracts():
    body = ("<html><body><article><h1>A headline here</h1><p>" + "Some words\x0b and more \ufffe words. " * 20
            + "</p></article></body></html>").encode()
    result = extract(PageSnapshot(url=URL, body=body, fetched_at=datetime(2024, 6, 1, tzinfo=timezone.utc)),
                     errors="raise")
    assert "Some words and more words." in result.text
