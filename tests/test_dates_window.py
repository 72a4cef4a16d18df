"""The elements date finding reads around the headline, and microdata dates, on pages written here.

The window is walked from the headline (the elements after it, then before it) instead of listing every
element of the body; ``reference_window`` is the listing definition it must agree with.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.dates.locate import _Exclusion, article_scope, extract_dates, headline_window
from crawler.extraction.document import Document, parse_html

FETCHED = datetime(2024, 6, 1, tzinfo=timezone.utc)


def reference_window(doc: Document, headline) -> list:
    """headline_window as it was first written: up to 59 elements after the headline, then up to 25
    before it (nearest first, its ancestors left out), by index in the list of the body's elements; then
    the rest of the article scope; elements in sidebars, navigation... dropped."""
    body = doc.tree.find(".//body")
    elements = [e for e in body.iter() if isinstance(e.tag, str)]
    index = elements.index(headline) if headline in elements else 0
    ancestors = set(headline.iterancestors())
    window = elements[index + 1:index + 60] + [
        e for e in reversed(elements[max(0, index - 25):index]) if e not in ancestors]
    scope = article_scope(doc, headline)
    if scope is not None:
        seen = set(window)
        window += [e for e in scope.iter() if isinstance(e.tag, str) and e not in seen]
    excluded = _Exclusion(headline)
    return [e for e in window if not excluded(e)]


def nested_page() -> Document:
    nav = "<nav><ul>" + "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(12)) + "</ul></nav>"
    side = "<div class='box'>" + "".join(f"<p>Teaser <b>{i}</b></p>" for i in range(40)) + "</div>"
    body = (f"{nav}<div id='wrap'><div class='col'><span>lead-in</span><div class='post'><header><p>kicker</p>"
            f"<h1>The long awaited headline</h1><p class='date'>1 May 2024</p></header>"
            f"<div class='text'>{''.join(f'<p>Para <i>{i}</i></p>' for i in range(30))}</div></div></div>{side}</div>")
    doc = parse_html(f"<html><head><title>The long awaited headline</title></head><body>{body}</body></html>",
                     "https://news.example/story")
    assert doc is not None
    return doc


def test_window_around_the_headline_is_the_listing_definition():
    doc = nested_page()
    headline = doc.tree.find(".//h1")
    window = headline_window(doc, headline)
    assert window == reference_window(doc, headline)
    assert window[0].text == "1 May 2024"
    assert "kicker" in [e.text for e in window[:70]] and all(e.tag != "li" for e in window)  # before it; not the nav


@pytest.mark.parametrize("pick", ["first", "deep", "last", "body", "head", "box"])
def test_window_of_any_element_is_the_listing_definition(pick):
    doc = nested_page()
    body = doc.tree.find(".//body")
    elements = [e for e in body.iter() if isinstance(e.tag, str)]
    node = {"first": elements[1], "deep": doc.tree.findall(".//i")[7], "last": elements[-1], "body": body,
            "head": doc.tree.find(".//title"), "box": doc.tree.findall(".//b")[20]}[pick]
    assert headline_window(doc, node) == reference_window(doc, node)


def test_microdata_dates_outside_meta():
    doc = parse_html("<html><head><meta itemprop='datePublished' content='2020-01-01'></head><body>"
                     "<h1>A headline of the post</h1><span itemprop='datePublished'></span>"
                     "<abbr itemprop='datePublished' title='2024-05-03T10:00:00'>May 3</abbr>"
                     "<span itemprop='dateModified' content='2024-05-04'>May 4</span></body></html>",
                     "https://news.example/story")
    found = extract_dates(doc, FETCHED)
    # <meta itemprop> is read as a meta tag (doc.meta), the first non-empty microdata value otherwise
    assert found.published == datetime(2020, 1, 1) and found.source == "meta"
    assert found.modified == datetime(2024, 5, 4)
