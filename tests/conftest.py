"""Shared pytest fixtures: the bundled fixture blogs served on 127.0.0.1.

``site_ar`` / ``site_en`` are session-scoped :class:`crawler.localsite.LocalSite`
instances on free ports (``site.base_url``, ``site.requests``).  Tests that
read the request log should call ``site.reset_log()`` first; tests that add
rules with ``site.add_rule`` should remove them again (``site.remove_rule``).
``load_site_truth("ar")`` returns fixtures/site/ar/_truth.json as a dict.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.localsite import LocalSite, load_truth

REPO = Path(__file__).resolve().parent.parent
SITES_DIR = REPO / "fixtures" / "site"


def site_root(name: str) -> Path:
    return SITES_DIR / name


def load_site_truth(name: str) -> dict:
    """Ground truth of fixture site ``name`` ("ar" or "en")."""
    return load_truth(site_root(name))


@pytest.fixture(scope="session")
def site_ar():
    with LocalSite(site_root("ar")) as site:
        yield site


@pytest.fixture(scope="session")
def site_en():
    with LocalSite(site_root("en")) as site:
        yield site


@pytest.fixture(scope="session")
def site_truth():
    """The load_site_truth helper as a fixture: ``site_truth("ar")``."""
    return load_site_truth
