"""End-to-end: a crawl of a blog whose posts carry their author's box beside the story stores no box once
the site has taught it (spider, extraction workers, writer), and keeps every story whole."""

from __future__ import annotations

import pytest

from crawl_helpers import blogcrawl, export_records
from localsite import LocalSite

pytestmark = pytest.mark.slow  # crawls (see conftest.py)

AUTHORS = {
    "Jane Doe": "Jane Doe has walked the rivers of the north for twenty years and writes about the paths she finds.",
    "Omar Haddad": "Omar Haddad maps old mule tracks in the mountains and teaches map reading to young hikers.",
    "Lucie Martin": "Lucie Martin photographs the coast in winter and writes the trail guides of the club.",
}
POSTS = 24  # 8 a author: whatever the crawl order, each box is seen again once the site has 8 articles


PLACES = ["river", "ridge", "forest", "harbour", "valley", "lake", "moor", "canyon", "meadow", "glacier", "dune",
          "marsh", "cliff", "orchard", "vineyard", "quarry", "island", "bridge", "tunnel", "village", "castle", "mill",
          "pass", "summit"]
THINGS = ["herons", "old walls", "a shepherd", "wild thyme", "a broken gate", "two foxes", "fog", "a chapel",
          "fishermen", "a rope bridge", "snow", "a market"]


def _post(n: int, author: str) -> str:
    place = PLACES[n]
    paras = "".join(f"<p>On the {place} walk we met {THINGS[(n + k) % len(THINGS)]} near stone number {n * 7 + k}, "
                    f"and the {place} path turned {['north', 'south', 'east', 'west'][k]} for {n + k + 2} kilometres "
                    f"before the {THINGS[(n * 3 + k) % len(THINGS)]} came into view.</p>" for k in range(4))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Walk {n}</title>'
            f'<meta property="og:type" content="article"></head><body><header><a href="/">Trail Notes</a></header>'
            f'<main><article class="post"><h1>Walk {n}</h1><div class="entry-content">{paras}</div>'
            f'<div class="writer-card"><h4>{author}</h4><p>{AUTHORS[author]}</p></div></article></main>'
            f"<footer>Trail Notes</footer></body></html>")


@pytest.fixture
def blog(tmp_path):
    root = tmp_path / "site"
    names = list(AUTHORS)
    links = []
    for n in range(POSTS):
        page = root / "2024" / "05" / f"walk-{n}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(_post(n, names[n % 3]), encoding="utf-8")
        links.append(f'<li><a href="/2024/05/walk-{n}/">Walk {n}</a></li>')
    (root / "index.html").write_text(f"<html><body><h1>Trail Notes</h1><ul>{''.join(links)}</ul></body></html>",
                                     encoding="utf-8")
    with LocalSite(root) as site:
        yield site


def test_a_crawl_learns_the_author_boxes_and_keeps_the_stories(blog, tmp_path):
    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    result = blogcrawl("crawl", blog.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    records = export_records(db_url)
    assert len(records) == POSTS
    for record in records:
        assert not any(bio in record["text"] for bio in AUTHORS.values()), record["url"]
        assert record["text"].count(" walk we met ") == 4, record["url"]
