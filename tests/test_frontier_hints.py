"""The frontier's batch additions and feed date hints (pipelines/storage/frontier.py), on a real SQLite
store: the first of duplicate URLs in a batch is kept (hints merged), and a feed date reaches the article
whether the feed is read before or after the post is fetched."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.items import ArticleItem
from pipelines.storage import frontier
from pipelines.storage.models import Article
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter

URL = "http://a.example/2024/01/post/"
TEXT = "\n".join(f"A paragraph of the post about the river and the market, line {n}." for n in range(12))
FEED_DATE = {"published": "2024-01-05T08:00:00+00:00"}


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/hints.sqlite3")
    yield store
    store.close()


def new(url=URL, **kw) -> frontier.NewUrl:
    return frontier.NewUrl(url_key=url, url=url, site="a.example", **kw)


def item(**kw) -> ArticleItem:
    return ArticleItem(url=URL, fetched_url=URL, site="a.example", title="Post", text=TEXT,
                       fetched_at=datetime(2024, 3, 1, tzinfo=timezone.utc), frontier_keys=[URL], status=200, **kw)


def fetched(session) -> None:
    frontier.add_urls(session, [new()], 1)
    frontier.claim(session, 10, 1)


def test_a_batch_keeps_the_first_of_duplicate_urls_and_merges_hints(store):
    with store.begin() as session:
        frontier.add_urls(session, [new(priority=10, hints={"published": "2024-01-01T00:00:00+00:00"}),
                                    new(priority=-10, hints={"published": "2024-02-02T00:00:00+00:00", "x": 1})], 1)
    with store.begin() as session:
        row = frontier.get(session, URL)
        assert row.priority == 10
        assert row.hints == {"published": "2024-01-01T00:00:00+00:00", "x": 1}


def test_a_feed_read_after_the_post_was_stored_dates_it(store):
    writer = ArticleWriter()
    with store.begin() as session:
        fetched(session)
        assert writer.write(session, item(), run_id=1).outcome == "new"
        assert session.query(Article).one().published is None
    with store.begin() as session:
        frontier.record_hints(session, {URL: FEED_DATE})
    with store.begin() as session:
        article = session.query(Article).one()
        assert article.published.isoformat() == FEED_DATE["published"] and article.date_source == "feed"


def test_a_feed_read_while_the_post_is_in_flight_dates_it(store):
    with store.begin() as session:
        fetched(session)  # claimed: being fetched and extracted when the feed comes
        frontier.record_hints(session, {URL: FEED_DATE})
    with store.begin() as session:
        written = ArticleWriter().write(session, item(), run_id=1)
    assert written.item.published.isoformat() == FEED_DATE["published"] and written.item.date_source == "feed"


def test_a_page_dropped_for_want_of_a_date_is_fetched_again_once_a_feed_dates_it(store):
    with store.begin() as session:
        fetched(session)
        frontier.finish(session, URL, frontier.DONE, status=200, etag='"e"', body_hash="h")  # not stored
    with store.begin() as session:
        frontier.record_hints(session, {URL: FEED_DATE})
    with store.begin() as session:
        row = frontier.get(session, URL)
        assert (row.state, row.etag, row.body_hash) == (frontier.PENDING, None, None)
    with store.begin() as session:
        frontier.finish(session, URL, frontier.DONE, status=200, body_hash="h")
        assert frontier.record_hints(session, {URL: FEED_DATE}) == 0  # known already: not again
        assert frontier.get(session, URL).state == frontier.DONE
