"""A render give-up decays: a site given up (site_state ``render``) gets one new trial render
``RETRY_GIVEN_UP`` after it was given up; the clock is injected (``RenderPolicy(clock=...)``), the store is
a SQLite file of the test's, the renders are stand-ins (no browser)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.rendering import GIVE_UP, RETRY_GIVEN_UP, STATE, RenderPolicy, SiteMemory
from test_js_rendering import RENDERED, SHELL_EXTRACTED, _Crawler, _static, _verdict, _Writer

SITE = "127.0.0.1:8000"
T0 = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    from pipelines.storage.store import Store

    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    yield store
    store.close()


def _policy(store, now: datetime) -> RenderPolicy:
    policy = RenderPolicy("auto", crawler=_Crawler(), store=store, writer=_Writer(store), clock=lambda: now)
    policy.load_memory()
    return policy


def _give_up(policy: RenderPolicy) -> None:
    for i in range(GIVE_UP):
        policy.retry_in_browser(_static(i), SHELL_EXTRACTED)
    for request in list(policy.crawler.engine.crawled):
        _verdict(policy, request)
    policy.crawler.engine.crawled.clear()


def _saved(store) -> dict:
    from pipelines.storage import sitestate

    with store.begin() as session:
        return sitestate.load(session, STATE)[SITE]


def test_a_given_up_site_is_tried_once_more_after_the_retry_delay(store):
    first = _policy(store, T0)
    _give_up(first)
    assert _saved(store) == {"helped": 0, "useless": GIVE_UP, "given_up_at": T0.isoformat()}

    soon = _policy(store, T0 + RETRY_GIVEN_UP - timedelta(hours=1))  # not yet: no render at all
    assert soon.memory[SITE].given_up
    assert not soon.retry_in_browser(_static(10), SHELL_EXTRACTED) and soon.crawler.engine.crawled == []

    later = _policy(store, T0 + RETRY_GIVEN_UP)  # due: one trial, the other pages wait for its verdict
    assert not later.memory[SITE].given_up and later.crawler.stats.values["js/render/retrial"] == 1
    for i in range(10, 14):
        assert later.retry_in_browser(_static(i), SHELL_EXTRACTED)
    (trial,) = later.crawler.engine.crawled
    assert trial.meta.get("playwright")
    _verdict(later, trial)  # gained nothing again: given up anew, from now
    again = later.crawler.engine.crawled[1:]
    assert len(again) == 3 and not any(r.meta.get("playwright") for r in again)  # the waiting pages: plain HTTP
    assert _saved(store)["given_up_at"] == (T0 + RETRY_GIVEN_UP).isoformat()
    assert _policy(store, T0 + RETRY_GIVEN_UP + timedelta(days=1)).memory[SITE].given_up


def test_a_retrial_that_helps_sends_the_waiting_pages_to_the_browser(store):
    _give_up(_policy(store, T0))
    later = _policy(store, T0 + 2 * RETRY_GIVEN_UP)
    for i in range(10, 13):
        later.retry_in_browser(_static(i), SHELL_EXTRACTED)
    (trial,) = later.crawler.engine.crawled
    _verdict(later, trial, RENDERED)
    assert all(r.meta.get("playwright") for r in later.crawler.engine.crawled) and len(later.crawler.engine.crawled) == 3
    assert _saved(store)["helped"] == 1


def test_state_saved_before_the_give_up_was_dated_gets_its_trial_at_once():
    old = SiteMemory.from_state({"helped": 0, "useless": GIVE_UP})
    assert old.given_up and old.retrial_due(T0)
    assert not SiteMemory.from_state({"helped": 1, "useless": 9}).retrial_due(T0)  # never given up: nothing to retry
