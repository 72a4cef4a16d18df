"""Per-site boilerplate learning: recurring lines are learned, dropped, and re-cleaned from stored articles."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import ArticleItem
from pipelines.normalize import content_hash
from pipelines.storage import articles
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter, WriterSettings

SIGNATURE = "Support independent writing: become a member of the Field Notes club today"
SUBHEADING = "Ingredients"


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    yield store
    store.close()


def item(site: str, n: int, extra: list[str]) -> ArticleItem:
    body = [f"Post {n} opens with its own sentence about topic number {n} and nothing else.",
            *extra, f"Post {n} closes with another line that no other post of the site shares."]
    text = "\n".join(body)
    return ArticleItem(url=f"http://{site}/2024/01/post-{n}/", fetched_url=f"http://{site}/2024/01/post-{n}/",
                       site=site, title=f"Post {n}", text=text, fetched_at=datetime.now(timezone.utc),
                       content_hash=content_hash(text))


class Writer:
    """The ArticleWriter with its counters in a Scrapy stats collector, one transaction per article."""

    def __init__(self, stats):
        self.stats = stats
        self.writer = ArticleWriter(WriterSettings(min_articles=5, share=0.6, neardup=False))

    def process_item(self, it: ArticleItem, store: Store) -> ArticleItem:
        with store.begin() as session:
            written = self.writer.write(session, it)
        for key, n in written.stats.items():
            self.stats.inc_value(key, n)
        return written.item


def store_item(pipeline: Writer, store: Store, it: ArticleItem) -> ArticleItem:
    return pipeline.process_item(it, store)


def make_pipeline(store: Store, stats) -> Writer:
    return Writer(stats)


def test_recurring_line_is_learned_dropped_and_recleaned(store):
    stats = MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False)))
    pipeline = make_pipeline(store, stats)
    stored = [store_item(pipeline, store, item("blog.example", n, [SIGNATURE, SUBHEADING])) for n in range(9)]
    assert all(SIGNATURE in it.text for it in stored)  # not learned yet: the site has too few articles

    tenth = store_item(pipeline, store, item("blog.example", 9, [SIGNATURE, SUBHEADING]))
    assert SIGNATURE not in tenth.text
    assert stats.get_value("boilerplate/learned") == 1
    assert stats.get_value("boilerplate/recleaned") == 9
    later = store_item(pipeline, store, item("blog.example", 10, [SIGNATURE]))
    assert SIGNATURE not in later.text and later.content_hash == content_hash(later.text)
    with store.sessions() as session:
        for article in articles.live(session):
            assert SIGNATURE not in article.text, article.url
            assert SUBHEADING in article.text.splitlines() or article.url.endswith("post-10/")
            assert article.content_hash == content_hash(article.text)
            assert f"Post {article.url.rstrip('/').rsplit('-', 1)[1]} opens" in article.text


def test_lines_are_learned_per_site_and_need_a_majority(store):
    stats = MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False)))
    pipeline = make_pipeline(store, stats)
    quote = "A line that several posts of this site quote, but far from most of them"
    for n in range(12):  # 5 of 12 carry it: under the 60% share
        store_item(pipeline, store, item("a.example", n, [quote] if n % 12 < 5 else []))
    other = store_item(pipeline, store, item("b.example", 100, [quote]))  # not a copy of a.example post 0
    assert stats.get_value("boilerplate/learned") is None
    assert quote in other.text
    with store.sessions() as session:
        assert sum(quote in a.text for a in articles.live(session)) == 6


@pytest.mark.parametrize("closer", ["Thanks for reading!", "والله الموفق", "Bonne lecture !"])
def test_a_short_line_closing_most_articles_is_learned_at_the_edge_only(store, closer):
    stats = MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False)))
    pipeline = make_pipeline(store, stats)

    def post(n: int, middle: list[str]) -> ArticleItem:
        it = item("edge.example", n, middle)
        it.text = it.text + "\n" + closer
        it.content_hash = content_hash(it.text)
        return it

    for n in range(9):
        assert store_item(pipeline, store, post(n, [])).text.endswith(closer)  # too few articles yet
    tenth = store_item(pipeline, store, post(9, [closer]))  # the same words inside this body stay there
    assert not tenth.text.endswith(closer) and closer in tenth.text.splitlines()[1:-1]
    assert stats.get_value("boilerplate/learned") == 1
    assert stats.get_value("boilerplate/recleaned") == 9
    with store.sessions() as session:
        for article in articles.live(session):
            assert article.text.splitlines()[-1] != closer and article.content_hash == content_hash(article.text)
            assert "closes with another line" in article.text.splitlines()[-1]


def test_short_lines_inside_bodies_are_never_learned(store):
    stats = MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False)))
    pipeline = make_pipeline(store, stats)
    for n in range(12):
        stored = store_item(pipeline, store, item("recipes.example", n, [SUBHEADING, "Method"]))
        assert SUBHEADING in stored.text and "Method" in stored.text
    assert stats.get_value("boilerplate/learned") is None


NEWSLETTER = ["Newsletter", "Best of the week", "Sign up free"]  # short lines, a long line together


def test_a_block_of_short_lines_is_learned_dropped_and_recleaned(store):
    stats = MemoryStatsCollector(SimpleNamespace(settings=SimpleNamespace(getbool=lambda *a: False)))
    pipeline = make_pipeline(store, stats)
    para = "A middle paragraph long enough to be counted on its own, number {}."
    middle = [para, *NEWSLETTER, para, SUBHEADING]

    def post(n: int, lines: list[str]) -> ArticleItem:
        return item("box.example", n, [line.format(n) for line in lines])

    for n in range(9):
        assert "\n".join(NEWSLETTER) in store_item(pipeline, store, post(n, middle)).text  # too few articles yet
    tenth = store_item(pipeline, store, post(9, middle))
    assert "\n".join(NEWSLETTER) not in tenth.text and SUBHEADING in tenth.text.splitlines()
    assert stats.get_value("boilerplate/learned") == 1
    assert stats.get_value("boilerplate/recleaned") == 9
    # Inside a longer run of short lines the block still goes; its lines alone, apart, stay.
    later = store_item(pipeline, store, post(20, ["Part two", *NEWSLETTER, "Sign up free"]))
    assert later.text.splitlines()[1:3] == ["Part two", "Sign up free"]
    apart = store_item(pipeline, store, post(21, [NEWSLETTER[0], para, NEWSLETTER[1], para, NEWSLETTER[2]]))
    assert all(line in apart.text.splitlines() for line in NEWSLETTER)
    with store.sessions() as session:
        for article in articles.live(session):
            if article.url.endswith(("post-20/", "post-21/")):
                continue
            lines = article.text.splitlines()
            assert not set(NEWSLETTER) & set(lines) and SUBHEADING in lines, article.url
            assert article.content_hash == content_hash(article.text)
