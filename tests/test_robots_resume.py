"""robots.txt holds for every request a site's first burst sends: a run resumed after a kill hands the
site the killed process's claims at once, before its robots.txt has come, and none that robots.txt
forbids is fetched (Scrapy 2.19's RobotsTxtMiddleware let every waiting request after the second through
unchecked; crawler/middlewares/robotstxt.py).

The store is prepared as a kill -9 leaves it: an unfinished run of the site whose frontier holds posts
and pages under /private/ (robots.txt: ``Disallow: /private/``), claimed by the dead process. A second
test gives the middleware itself such a burst, with robots.txt answered once every request waits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from crawl_helpers import blogcrawl
from crawler.middlewares.robotstxt import RobotsTxtMiddleware
from crawler.spiders.roots import crawl_roots
from crawler.urls import canonicalize, site_of
from localsite import LocalSite
from pipelines.storage import frontier, runs
from pipelines.storage.store import Store

POSTS, PRIVATE = 4, 6
ROBOTS = "User-agent: *\nDisallow: /private/\n"
TEXT = "".join(f"<p>Paragraph {i} of the post about the harbour, the market and the old pier, long enough to be "
               "the text of an article on a small town blog.</p>" for i in range(6))


def _page(title: str) -> str:
    return (f"<html lang='en'><head><title>{title}</title></head><body class='single single-post'><article>"
            f"<h1 class='entry-title'>{title}</h1><div class='entry-content'>{TEXT}</div></article></body></html>")


def build(root: Path) -> None:
    for path in [f"post-{n}" for n in range(POSTS)] + [f"private/note-{n}" for n in range(PRIVATE)]:
        (root / path).mkdir(parents=True)
        (root / path / "index.html").write_text(_page(path), encoding="utf-8")
    (root / "index.html").write_text("<html lang='en'><head><title>Harbour</title></head><body class='home blog'>"
                                     "<p>Nothing linked here.</p></body></html>", encoding="utf-8")
    (root / "robots.txt").write_text(ROBOTS, encoding="utf-8")


def killed_run(db_url: str, base_url: str, paths: list[str]) -> None:
    """The store a crawl of ``base_url`` killed with kill -9 leaves: its run unfinished, ``paths`` claimed."""
    store = Store(db_url)
    try:
        with store.begin() as session:
            run = runs.begin(session, crawl_roots(base_url, None), datetime(2024, 3, 1, tzinfo=timezone.utc))
            urls = [base_url.rstrip("/") + p for p in paths]
            frontier.add_urls(session, [frontier.NewUrl(url_key=canonicalize(u), url=u, site=site_of(u), depth=1)
                                        for u in urls], run.id)
            assert len(frontier.claim(session, len(urls), run.id)) == len(urls)
    finally:
        store.close()


@pytest.mark.slow
def test_a_resumed_run_fetches_nothing_robots_txt_forbids(tmp_path):
    build(tmp_path / "site")
    db_url = f"sqlite:///{tmp_path}/store.sqlite3"
    private = [f"/private/note-{n}/" for n in range(PRIVATE)]
    with LocalSite(tmp_path / "site") as site:
        killed_run(db_url, site.base_url, [f"/post-{n}/" for n in range(POSTS)] + private)
        result = blogcrawl("crawl", site.base_url, "--db", db_url, "--log-level", "WARNING",
                           "-s", "CONCURRENT_REQUESTS=16", "-s", "BLOGCRAWL_JOURNAL=False")
        gets = [path for method, path, _ in site.requests if method == "GET"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert "/post-0/" in gets  # the killed run's claims were fetched...
    assert [p for p in gets if p.startswith("/private/")] == []  # ...but none that robots.txt forbids
    assert result.stats.get("robotstxt/forbidden") == PRIVATE



def test_every_request_that_waits_for_robots_txt_is_checked_against_it():
    """A site's first request sends for its robots.txt; three more come before the answer and wait."""
    answer: Deferred = Deferred()

    async def download(request):  # the engine's download of robots.txt: pending until answered
        return await maybe_deferred_to_future(answer)

    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True, "ROBOTSTXT_PARSER": "crawler.robots.RobotsParser"})
    crawler.spider = crawler._create_spider("s")
    crawler.engine = SimpleNamespace(download_async=download)
    middleware = RobotsTxtMiddleware.from_crawler(crawler)
    urls = ["http://a.example/post/"] + [f"http://a.example/private/{n}/" for n in range(3)]

    async def burst():
        checks = [asyncio.ensure_future(middleware.process_request(Request(url))) for url in urls]
        await asyncio.sleep(0)  # one turn of the loop: each check runs until it waits for robots.txt
        answer.callback(TextResponse("http://a.example/robots.txt", body=ROBOTS.encode()))
        return await asyncio.gather(*checks, return_exceptions=True)

    outcomes = asyncio.run(burst())
    assert outcomes[0] is None
    assert [type(outcome) for outcome in outcomes[1:]] == [IgnoreRequest] * 3
