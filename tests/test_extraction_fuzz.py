"""Property: ``crawler.extraction.extract`` never ends in an internal error, whatever bytes it is given.

``extract`` turns an internal error into ``reason="error: <kind>"`` (it must never raise in a crawl),
so checking that it returns would prove nothing: each case runs with ``errors="raise"`` (the error
itself fails the test, with its traceback) and, as the crawl runs it, must not end with such a reason.

Random bytes, tag soup, and real fixture pages mangled (cut, bytes flipped, tags dropped or
duplicated, re-encoded, garbage spliced in), each with a random HTTP charset. ``bench/fuzz_extract.py``
runs the same cases 10,000+ times and counts failures per exception kind.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import extract
from crawler.items import Extracted, PageSnapshot
from fuzz_cases import CHARSETS, case, mutate, real_pages, tag_soup

FETCHED = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)
PAGES = real_pages()
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(body: bytes, charset: str | None) -> None:
    snapshot = PageSnapshot(url="http://127.0.0.1:8000/2024/03/post/", body=body, fetched_at=FETCHED, http_charset=charset)
    extract(snapshot, errors="raise")
    result = extract(snapshot)
    assert isinstance(result, Extracted)
    assert isinstance(result.text, str)
    assert not (result.reason or "").startswith("error"), result.reason


def test_an_internal_error_is_seen(monkeypatch):
    """The check above can fail: an error inside extraction raises in raise mode and is a reason otherwise."""
    import crawler.extraction as extraction

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(extraction, "_fields", broken)
    page = b"<html><body><p>" + b"word " * 50 + b"</p></body></html>"
    snapshot = PageSnapshot(url="http://127.0.0.1:8000/2024/03/post/", body=page, fetched_at=FETCHED)
    with pytest.raises(KeyError):
        extract(snapshot, errors="raise")
    assert extract(snapshot).reason == "error: KeyError"


@FAST
@given(st.binary(max_size=4096), st.sampled_from(CHARSETS))
def test_random_bytes_never_raise(body, charset):
    _check(body, charset)


@FAST
@given(st.text(max_size=2000), st.sampled_from(CHARSETS))
def test_random_text_never_raises(text, charset):
    _check(text.encode("utf-8", "surrogatepass"), charset)


@FAST
@given(st.randoms(use_true_random=False), st.sampled_from(CHARSETS))
def test_tag_soup_never_raises(rng, charset):
    _check(tag_soup(rng), charset)


@FAST
@given(st.sampled_from(PAGES), st.randoms(use_true_random=False), st.sampled_from(CHARSETS))
def test_mangled_real_pages_never_raise(page, rng, charset):
    _check(mutate(page, rng), charset)


def test_case_generator_covers_every_kind():
    import random

    rng = random.Random(1)
    assert {case(rng, PAGES)[0] for _ in range(200)} == {"random_bytes", "tag_soup", "mangled_page"}


def test_mangled_hrefs_and_embed_sources_are_not_internal_errors():
    """``urljoin`` raises on "http://[x" (an unclosed IPv6 host): a headline link or an embed written so
    is ignored, the page is still read."""
    from datetime import datetime, timezone

    from crawler.extraction import extract
    from crawler.items import PageSnapshot

    page = (
        "<html><head><title>A walk by the river</title></head><body><article>"
        '<h1><a href="http://[broken/">A walk by the river</a></h1>'
        '<iframe src="http://[bad/embed/1"></iframe>'
        + "<p>We walked along the river in the morning and counted the herons on the far bank.</p>" * 6
        + "</article></body></html>"
    ).encode()
    snapshot = PageSnapshot(url="https://example.org/2024/05/walk/", body=page,
                            fetched_at=datetime(2024, 6, 1, tzinfo=timezone.utc))
    result = extract(snapshot, errors="raise")
    assert result.title == "A walk by the river"
    assert not (result.reason or "").startswith("error")
