"""The response journal's data layer (pipelines/storage/journal.py), on a real SQLite store: a page's entry
goes in the transaction that stores its article (or finishes its frontier row otherwise), never before
it; a closed run leaves no journal; a resumed run may reuse only robots.txt answers young enough."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.items import ArticleItem
from pipelines.storage import frontier, journal, runs
from pipelines.storage.models import Article
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter

URL = "http://a.example/2024/01/post/"
ROBOTS = "http://a.example/robots.txt"
TEXT = "\n".join(f"A paragraph of the post about the river and the market, line {n}." for n in range(12))
BODY = f"<html><body><article><p>{TEXT}</p></article></body></html>".encode()
NOW = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/journal.sqlite3")
    yield store
    store.close()


def entry(key=URL, kind=journal.PAGE, headers=(("Content-Type", "text/html; charset=utf-8"),), body=BODY, when=NOW):
    return journal.Entry(key, kind, key, 200, list(headers), body, when)


def item() -> ArticleItem:
    return ArticleItem(url=URL, fetched_url=URL, site="a.example", title="Post", text=TEXT, fetched_at=NOW,
                       frontier_keys=[URL], status=200)


def journaled(store) -> journal.Entry | None:
    with store.begin() as session:
        return journal.get(session, URL)


@pytest.fixture
def fetched(store):
    """A page claimed by run 1 whose response is journaled, not yet stored (as a kill -9 finds it)."""
    with store.begin() as session:
        frontier.add_urls(session, [frontier.NewUrl(url_key=URL, url=URL, site="a.example")], 1)
        frontier.claim(session, 10, 1)
        journal.put(session, entry())


def test_an_entry_reads_back_as_sent(store, fetched):
    got = journaled(store)
    assert (got.url, got.status, got.body, got.headers) == (URL, 200, BODY, [("Content-Type", "text/html; charset=utf-8")])


def test_a_body_sent_compressed_is_kept_as_sent(store):
    gz = b"\x1f\x8b not really gzip, kept byte for byte"
    with store.begin() as session:
        journal.put(session, entry(headers=[("Content-Encoding", "gzip")], body=gz))
    assert journaled(store).body == gz


def test_storing_the_article_deletes_its_entry_in_the_same_transaction(store, fetched):
    with pytest.raises(RuntimeError), store.begin() as session:
        assert ArticleWriter().write(session, item(), run_id=1).outcome == "new"
        raise RuntimeError("killed before the commit")
    assert journaled(store) is not None  # rolled back: neither the article nor the deletion
    with store.begin() as session:
        assert session.query(Article).count() == 0
        ArticleWriter().write(session, item(), run_id=1)
    assert journaled(store) is None
    with store.begin() as session:
        assert session.query(Article).count() == 1 and frontier.get(session, URL).state == frontier.DONE


def test_a_page_finished_without_an_article_loses_its_entry_too(store, fetched):
    with store.begin() as session:
        frontier.finish(session, URL, frontier.DONE, status=200)  # a listing, a page without a post
    assert journaled(store) is None


def test_a_resumed_run_replays_pages_and_young_robots_only(store, fetched):
    with store.begin() as session:
        journal.put(session, entry(ROBOTS, journal.ROBOTS, when=NOW - timedelta(minutes=30)))
        journal.put(session, entry("http://b.example/robots.txt", journal.ROBOTS, when=NOW - timedelta(hours=2)))
        found = journal.replayable(session, NOW - timedelta(hours=1))
    assert found.pages == {URL} and found.robots == {ROBOTS}
    assert found.take(URL, journal.PAGE) and not found.take(URL, journal.PAGE)  # once


def test_a_closed_run_leaves_no_journal(store, fetched):
    with store.begin() as session:
        run_id = runs.begin(session, ["http://a.example/"], NOW).id
        journal.put(session, entry(ROBOTS, journal.ROBOTS))
    with store.begin() as session:
        runs.end(session, run_id, runs.FINISHED, NOW, {})
    with store.begin() as session:
        assert journal.count(session) == 0
