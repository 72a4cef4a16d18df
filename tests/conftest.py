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
from scrapy.utils.reactor import install_reactor

# One Twisted reactor per process, installed before anything imports twisted.internet.reactor: the
# asyncio reactor of crawler/settings.py. In-process crawls (crawl_helpers.blogcrawl) run on it.
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

from crawl_helpers import stop_session_reactor  # noqa: E402
from crawler.localsite import LocalSite, load_truth  # noqa: E402

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


SERVICE_FIXTURES = {"pg_database", "fleet", "chromium"}  # PostgreSQL, Redis, a browser (tests/pg_helpers.py, ...)


def pytest_collection_modifyitems(config, items):
    """``services`` is set here, on every test using a service fixture; ``slow`` is set in the test files
    (``pytestmark`` of the crawl modules, ``@pytest.mark.slow`` on the crawls of the others)."""
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)


def pytest_sessionfinish(session, exitstatus):
    stop_session_reactor()
