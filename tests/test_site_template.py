"""Per-site template blocks: a box outside the story's container (an author box) that repeats word for word
at the same place on several articles of a site is learned, dropped, and re-cleaned from stored articles."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.extraction import extract
from crawler.snapshots import article_item, snapshot_of
from pipelines.boilerplate import without_run
from pipelines.storage import articles
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter, WriterSettings

from pg_helpers import pg_database  # noqa: F401  (fixture)

AUTHORS = {
    "Jane Doe": "Jane Doe has walked the rivers of the north for twenty years and writes about the paths she finds.",
    "Omar Haddad": "Omar Haddad maps old mule tracks in the mountains and teaches map reading to young hikers.",
    "Lucie Martin": "Lucie Martin photographs the coast in winter and writes the trail guides of the club.",
}
BACKGROUND = ("The river path was closed for two years after the floods, and the council reopened it only in "
              "the spring after a long public debate about the cost of the new bridges.")


def post(n: int, author: str, *, background: bool = False, box: bool = True) -> bytes:
    paras = [f"Paragraph {k} of walk {n} tells its own part of the story of that day on the river, with details "
             f"no other walk repeats, and a second sentence that makes it a real paragraph." for k in range(5)]
    if background:
        paras.insert(2, BACKGROUND)
    card = f'<div class="writer-card"><h4>{author}</h4><p>{AUTHORS[author]}</p></div>' if box else ""
    return f"""<html><head><title>Walk {n}</title><meta property="og:type" content="article"></head><body>
<header><a href="/">Trail Notes</a></header>
<main><article class="post"><h1>Walk {n}</h1>
<div class="entry-content">{"".join(f"<p>{p}</p>" for p in paras)}</div>
{card}
</article></main><footer>Trail Notes</footer></body></html>""".encode()


def response(n: int, body: bytes) -> HtmlResponse:
    url = f"http://trail.example/2024/05/walk-{n}/"
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url),
                        headers={"Date": "Sat, 01 Jun 2024 10:00:00 GMT"})


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.services)])
def store(request, tmp_path):
    """The embedded store, and the production one (skipped without its server, except under CI)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/store.sqlite3"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{request.getfixturevalue('pg_database')}"
    store = Store(url)
    yield store
    store.close()


def crawl(store: Store, pages: list[tuple[int, bytes]], writer: ArticleWriter | None = None) -> list[str]:
    """Extracts and stores each page as the crawl does; returns the texts as stored at the time."""
    writer = writer or ArticleWriter(WriterSettings(min_articles=5, share=0.6, neardup=False))
    texts = []
    for n, body in pages:
        fetched = response(n, body)
        extracted = extract(snapshot_of(fetched))
        assert extracted.is_article
        with store.begin() as session:
            texts.append(writer.write(session, article_item(extracted, fetched)).item.text)
    return texts


def stored_texts(store: Store) -> list[str]:
    with store.sessions() as session:
        return [a.text for a in articles.live(session)]


def test_a_box_outside_the_story_is_reported_with_its_place():
    extracted = extract(snapshot_of(response(1, post(1, "Jane Doe"))))
    assert AUTHORS["Jane Doe"] in extracted.text  # one page cannot tell an author box from a fact box
    assert extracted.side_blocks == (("html/body/main/article/div.writer-card", f"Jane Doe\n{AUTHORS['Jane Doe']}"),)
    assert "side_blocks" not in extracted.as_json()
    assert extract(snapshot_of(response(2, post(2, "Jane Doe", box=False)))).side_blocks == ()


def test_an_author_box_on_a_third_of_the_posts_is_learned_dropped_and_recleaned(store):
    names = list(AUTHORS)
    texts = crawl(store, [(n, post(n, names[n % 3])) for n in range(12)])
    assert AUTHORS["Jane Doe"] in texts[0]  # not learned yet: seen once
    assert all(bio not in texts[-1] for bio in AUTHORS.values())  # each box on 4 of 12 posts: under the line share
    for text in stored_texts(store):
        assert all(bio not in text for bio in AUTHORS.values()), text
        assert not any(line in AUTHORS for line in text.splitlines())  # the box's name line went with it
        assert sum(line.startswith("Paragraph ") for line in text.splitlines()) == 5


def test_a_paragraph_the_story_repeats_is_never_a_template(store):
    names = list(AUTHORS)
    crawl(store, [(n, post(n, names[0], background=n % 2 == 0, box=False)) for n in range(12)])
    assert sum(BACKGROUND in text for text in stored_texts(store)) == 6  # inside the story's container


def test_a_box_on_too_few_of_a_sites_posts_stays(store):
    pages = [(n, post(n, "Jane Doe", box=False)) for n in range(40)]
    pages += [(n, post(n, "Omar Haddad")) for n in range(40, 43)]  # 3 of 43 posts: under a tenth
    crawl(store, pages)
    assert sum(AUTHORS["Omar Haddad"] in text for text in stored_texts(store)) == 3


def test_a_run_is_dropped_only_where_its_lines_stand_in_a_row():
    text = "Intro line\nJane Doe\nShe walks.\nMiddle\nJane Doe\nOutro"
    assert without_run(text, "Jane Doe\nShe walks.") == "Intro line\nMiddle\nJane Doe\nOutro"
    assert without_run("Jane Doe\nShe walks.", "Jane Doe\nShe walks.") == "Jane Doe\nShe walks."  # never all of it
