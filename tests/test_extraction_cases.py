"""Golden cases: every fixtures/<site>/<case>/ page re-extracted and compared field by field."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extraction.cases import actual, find_cases, load_expected

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = [c for c in find_cases(FIXTURES) if c.parent.name != "site"]
FIELDS = ("author", "date_source", "is_article", "language", "modified", "published", "sitename", "text", "title", "url")


def test_there_are_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_case(case: Path) -> None:
    expected = load_expected(case)
    assert sorted(expected) == sorted(FIELDS)
    got = actual(case)
    for field in FIELDS:
        assert got[field] == expected[field], field
