"""``blogcrawl serve`` in Chromium (Playwright): the bundled blogs crawled once into a store (with a WARC
archive), one post edited and a hostile title written through the data layer, the command started as a
subprocess on a free port. Screenshots go to each test's tmp_path.

Skips without /usr/bin/chromium (``apt-get install chromium``), except under CI=true, where it fails
(the ``browser`` fixture, which the crawl waits for)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.urls import site_of
from pipelines.normalize import content_hash
from pipelines.storage import articles
from pipelines.storage.store import Store
from crawl_helpers import REPO, blogcrawl

CHROMIUM = "/usr/bin/chromium"
HOSTILE = "<script>alert(1)</script>"
EDIT = "The sixth loaf went to my neighbour, who asked for the recipe."
SOURDOUGH = "/2024/03/a-month-of-sourdough/"

pytestmark = [pytest.mark.slow, pytest.mark.services]  # a crawl, and Chromium


def _edit_and_add(db_url: str, en_url: str) -> None:
    """A second version of the sourdough post, and an article whose title is a script tag."""
    store = Store(db_url)
    try:
        with store.begin() as session:
            stored = articles.by_url(session, en_url.rstrip("/") + SOURDOUGH)
            text = stored.text + "\n" + EDIT
            item = _as_item(stored, text=text, content_hash=content_hash(text), fetched_at=stored.fetched_at + timedelta(days=1))
            assert articles.upsert(session, item) == articles.CHANGED
            hostile = _as_item(stored, url=en_url.rstrip("/") + "/2024/03/hostile/", title=HOSTILE,
                               text="A post whose title is markup.", content_hash=content_hash("A post whose title is markup."))
            articles.upsert(session, replace(hostile, fetched_url=hostile.url))
    finally:
        store.close()


def _as_item(stored, **changes):
    from crawler.items import ArticleItem

    fields = {name: getattr(stored, name) for name in ("url", "site", "title", "text", "fetched_at", "author", "published",
                                                      "modified", "date_source", "language", "sitename", "content_hash")}
    return ArticleItem(fetched_url=stored.url, **{**fields, **changes})


@pytest.fixture(scope="module")
def served(browser, site_ar, site_en, tmp_path_factory):
    """The URL of ``blogcrawl serve`` over the crawled store, with its archive."""
    folder = tmp_path_factory.mktemp("serve-browser")
    db_url, archive = f"sqlite:///{folder / 'store.sqlite3'}", folder / "warc"
    crawl = blogcrawl("crawl", site_ar.base_url, site_en.base_url, "--db", db_url, "--archive", str(archive), "--log-level", "WARNING")
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    _edit_and_add(db_url, site_en.base_url)
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", db_url, "--archive", str(archive), "--port", "0"],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stderr.readline()  # "blogcrawl serve: http://127.0.0.1:PORT/ (...)", printed once listening
        assert line.startswith("blogcrawl serve: http://127.0.0.1:"), line
        yield line.split()[2].rstrip("/")
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Chromium at {CHROMIUM} under CI=true (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    tab = context.new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    yield tab
    context.close()


def _open_article(page, served: str, title: str) -> None:
    page.goto(f"{served}/articles")
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_selector("#title")


def test_site_list(page, served, site_ar, site_en, tmp_path):
    page.goto(served + "/")
    rows = page.locator("#sites tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.site)")) == sorted(
        [site_of(site_ar.base_url), site_of(site_en.base_url)])
    en_row = page.locator(f'tr[data-site="{site_of(site_en.base_url)}"]')
    assert en_row.locator("td").nth(1).inner_text() == "4"  # 3 posts and the hostile one
    assert en_row.locator("svg.health").count() == 1
    page.screenshot(path=tmp_path / "sites.png")


def test_article_with_its_removed_blocks_and_reasons(page, served, tmp_path):
    _open_article(page, served, "What a Month of Sourdough Taught Me About Patience")
    removed = page.locator("#blocks li.removed")
    reasons = dict(zip(removed.locator(".block").all_inner_texts(), removed.locator(".reason").all_inner_texts()))
    assert reasons["Read also: Rebuilding a 1970s Bicycle From Spare Parts"] == "read-also line"
    assert reasons["Skip to content"].startswith("skip link")
    assert reasons["Share this:"].startswith("share bar")
    assert any(reason.startswith("comment block") for reason in reasons.values())
    kept = page.locator("#blocks li.kept .block").all_inner_texts()
    assert kept[0].startswith("When I started keeping a sourdough starter")
    page.locator("#blocks").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "removed.png")


def test_arabic_article_reads_right_to_left(page, served, tmp_path):
    _open_article(page, served, "نتائج اجتماع بين دبلوماسيين أمريكيين وشخصيات سورية بخصوص إدلب")
    direction = "el => getComputedStyle(el).direction"
    assert page.locator("#title").evaluate(direction) == "rtl"
    assert page.locator("#text p").first.evaluate(direction) == "rtl"
    assert page.locator("#blocks li.kept .block").first.evaluate(direction) == "rtl"
    assert page.locator("dl.meta dt").first.evaluate(direction) == "ltr"  # the interface stays left-to-right
    page.screenshot(path=tmp_path / "arabic.png")
    _open_article(page, served, "What a Month of Sourdough Taught Me About Patience")
    assert page.locator("#title").evaluate(direction) == "ltr"


def test_revision_diff(page, served, tmp_path):
    _open_article(page, served, "What a Month of Sourdough Taught Me About Patience")
    revision = page.locator("section.revision")
    assert revision.count() == 1
    assert [text.strip() for text in revision.locator("ins").all_inner_texts()] == [EDIT]
    assert revision.locator("del").count() == 0
    assert f"(+{len(EDIT.split())} / −0 words)" in revision.locator("h3").inner_text()
    revision.scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "revision.png")


def test_search(page, served, tmp_path):
    page.goto(served + "/articles")
    page.fill("input[name=q]", "إدلب")
    page.click("button[type=submit]")
    page.wait_for_url("**/articles?*q=*")
    titles = page.locator("#articles tbody td:nth-child(2)").all_inner_texts()
    assert titles and all("إدلب" in title for title in titles)
    assert page.locator("#total").inner_text() == f"{len(titles)} article{'' if len(titles) == 1 else 's'}"
    page.screenshot(path=tmp_path / "search.png")
    page.fill("input[name=q]", "sourdough")
    page.click("button[type=submit]")
    page.wait_for_url("**q=sourdough*")
    assert page.locator("#articles tbody td:nth-child(2)").all_inner_texts() == [
        "What a Month of Sourdough Taught Me About Patience"]


def test_hostile_title_is_shown_as_text(page, served, tmp_path):
    page.goto(served + "/articles")
    assert page.get_by_role("link", name=HOSTILE, exact=True).count() == 1
    _open_article(page, served, HOSTILE)
    assert page.locator("#title").inner_text() == HOSTILE
    assert page.title() == f"{HOSTILE} · blogcrawl"
    assert page.locator("main script").count() == 0 and page.dialogs == []
    page.screenshot(path=tmp_path / "hostile.png")
