"""Shared pytest fixtures: the bundled fixture blogs served on 127.0.0.1.

``site_ar`` / ``site_en`` are session-scoped, read-only :class:`localsite.LocalSite` servers
(tests/localsite.py) on free ports (``site.base_url``): every test may fetch from them, none may change
them (``add_rule``, ``remove_rule``, ``reset_log``, ``reset_faults`` raise) or count on their request log,
which every test adds to. A test that changes a server or reads what was requested starts its own:
``own_site("ar")`` (a context manager; ``own_sites`` gives the pair for a module).
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
from localsite import LocalSite, load_truth  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SITES_DIR = REPO / "fixtures" / "site"


def site_root(name: str) -> Path:
    return SITES_DIR / name


def load_site_truth(name: str) -> dict:
    """Ground truth of fixture site ``name`` ("ar" or "en")."""
    return load_truth(site_root(name))


class SharedSite(LocalSite):
    """A server every test shares: it refuses to be changed."""

    def _refuse(self, *args, **kwargs):
        raise RuntimeError("the session's site is shared by every test: start your own (own_site / own_sites)")

    add_rule = remove_rule = reset_log = reset_faults = _refuse


def own_site(name: str) -> LocalSite:
    """A server of fixture site ``name`` for one test or module only (``with own_site("en") as site:``)."""
    return LocalSite(site_root(name))


@pytest.fixture(scope="session")
def site_ar():
    with SharedSite(site_root("ar")) as site:
        yield site


@pytest.fixture(scope="session")
def site_en():
    with SharedSite(site_root("en")) as site:
        yield site


@pytest.fixture(scope="module")
def own_sites():
    """(ar, en) servers of this module only: change them, read their request logs."""
    with own_site("ar") as ar, own_site("en") as en:
        yield ar, en


@pytest.fixture(scope="session")
def site_truth():
    """The load_site_truth helper as a fixture: ``site_truth("ar")``."""
    return load_site_truth


SERVICE_FIXTURES = {"pg_database", "fleet", "chromium"}  # PostgreSQL, Redis, a browser (tests/pg_helpers.py, ...)


# The longest test files, longest first (make test, quiet machine): `pytest -n 3 --dist loadfile` hands
# files to workers in collection order, so these start at once instead of last, when a long file alone
# would keep the suite running on one worker. Order only: every file still runs whole on one worker.
LONGEST_FIRST = (
    "test_fleet.py", "test_js_crawl.py", "test_incremental.py", "test_cli_crawl.py", "test_resume_state.py",
    "test_extraction_fuzz.py", "test_migrations.py", "test_render_fruitless.py", "test_neardup.py",
    "test_postgres_store.py", "test_serve_browser.py", "test_db_faults.py", "test_cli_procs.py", "test_faults.py",
)


def _file_rank(item) -> int:
    name = item.path.name
    return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_collection_modifyitems(config, items):
    """``services`` is set here, on every test using a service fixture; ``slow`` is set in the test files
    (``pytestmark`` of the crawl modules, ``@pytest.mark.slow`` on the crawls of the others). The longest
    files are moved to the front (LONGEST_FIRST), each file's tests kept in their order."""
    for item in items:
        if SERVICE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.services)
    items.sort(key=_file_rank)  # stable: the rest keep pytest's order


def pytest_sessionfinish(session, exitstatus):
    stop_session_reactor()
