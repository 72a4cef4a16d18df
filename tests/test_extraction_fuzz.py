"""Property: ``crawler.extraction.extract`` never raises, whatever bytes it is given.

Random bytes, tag soup, and real fixture pages mangled (cut, bytes flipped, tags dropped or
duplicated, re-encoded, garbage spliced in), each with a random HTTP charset. ``bench/fuzz_extract.py``
runs the same cases 10,000+ times and counts failures per exception kind.
"""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import extract
from crawler.items import Extracted, PageSnapshot
from fuzz_cases import CHARSETS, case, mutate, real_pages, tag_soup

FETCHED = datetime(2024, 3, 15, 12, 0, tzinfo=timezone.utc)
PAGES = real_pages()
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(body: bytes, charset: str | None) -> None:
    result = extract(PageSnapshot(url="http://127.0.0.1:8000/2024/03/post/", body=body, fetched_at=FETCHED,
                                  http_charset=charset))
    assert isinstance(result, Extracted)
    assert isinstance(result.text, str)


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
