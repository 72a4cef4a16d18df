"""Which pages go to the browser (crawler/rendering.py) and how it is launched (crawler/browser.py); no browser runs here."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from crawler.browser import (
    CHROMIUM_ARGS,
    BrowserDownloadHandler,
    LazyBrowserProvider,
    abort_request,
    browser_request_headers,
    launch_options,
    unavailable_message,
)
from crawler.extraction import extract
from crawler.items import Extracted, PageSnapshot
from crawler.rendering import (
    GIVE_UP,
    RenderPolicy,
    ShellSignals,
    needs_browser,
    parse_mode,
    parse_sites,
    shell_signals,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
JSSITE = FIXTURES / "jssite"
SITES_DIR = FIXTURES / "site"
BASE = "http://127.0.0.1:8000"
FETCHED = datetime(2024, 3, 10, 12, 0, tzinfo=timezone.utc)
PROSE = "هذه جملة طويلة من نص المقال تكفي لتبدو كلاماً حقيقياً وليست إعداداً برمجياً قصيراً. "


def _decide(body: bytes, url: str = BASE + "/posts/x/") -> str | None:
    extracted = extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED))
    return needs_browser(extracted, shell_signals(body))


def _page(body: str, head: str = "") -> bytes:
    return f'<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>t</title>{head}</head><body>{body}</body></html>'.encode()


# -- the decision on real pages ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", [p["url_path"].strip("/").split("/")[-1] for p in json.loads((JSSITE / "_truth.json").read_text())["posts"]])
def test_every_post_shell_of_the_js_blog_needs_the_browser(slug):
    body = (JSSITE / "posts" / slug / "index.html").read_bytes()
    assert _decide(body, f"{BASE}/posts/{slug}/") is not None


def test_listing_shells_stay_plain_http():
    assert _decide((JSSITE / "index.html").read_bytes(), BASE + "/") is None
    assert _decide((JSSITE / "page" / "2" / "index.html").read_bytes(), BASE + "/page/2/") is None


@pytest.mark.parametrize("page", sorted(str(p.relative_to(SITES_DIR)) for p in SITES_DIR.rglob("*.html")))
def test_server_rendered_fixture_pages_never_need_the_browser(page):
    path = SITES_DIR / page
    url = BASE + "/" + "/".join(Path(page).parts[1:-1]) + "/"
    assert _decide(path.read_bytes(), url) is None


def test_teaser_with_a_javascript_notice_is_rendered():
    body = (JSSITE / "posts" / "teaser-solar" / "index.html").read_bytes()
    extracted = extract(PageSnapshot(url=BASE + "/posts/teaser-solar/", body=body, fetched_at=FETCHED))
    assert extracted.is_article and len(extracted.text) < 500  # a short article, not an empty shell
    assert needs_browser(extracted, shell_signals(body)) == "teaser:js-notice"


def test_server_rendered_next_page_with_its_data_is_not_rendered():
    paragraphs = [PROSE + str(i) for i in range(8)]
    data = json.dumps({"props": {"pageProps": {"post": {"paragraphs": paragraphs}}}}, ensure_ascii=False)
    article = "".join(f"<p>{p}</p>" for p in paragraphs)
    body = _page(
        f'<div id="__next"><article><h1>عنوان</h1><time datetime="2024-03-01">1 مارس 2024</time>{article}</article></div>'
        f'<script id="__NEXT_DATA__" type="application/json">{data}</script><script src="/_next/main.js"></script>',
        '<meta property="og:type" content="article">',
    )
    assert _decide(body) is None


def test_app_state_in_a_script_makes_an_empty_page_a_shell():
    state = json.dumps({"post": {"body": [PROSE * 2] * 4}}, ensure_ascii=False)
    body = _page(f'<main></main><script>window.__INITIAL_STATE__ = {state};</script>')
    assert _decide(body) == "shell:inline-data"


def test_escaped_unicode_in_data_counts_as_prose():
    state = json.dumps({"post": {"body": [PROSE * 2] * 4}})  # \\uXXXX escapes
    assert shell_signals(_page(f'<div></div><script type="application/json">{state}</script>')).prose_chars > 400


def test_wordpress_page_with_inline_scripts_is_not_a_shell():
    scripts = "<script>var wpData = {\"i18n\": {\"confirm\": \"Are you sure you want to leave this page now?\"}};" + ";" * 3000 + "</script>"
    text = "<p>" + "نص صفحة الاتصال الثابتة. " * 40 + "</p>"
    body = _page(f'<div id="page"><div class="entry-content">{text}</div></div>{scripts}', '<meta property="og:type" content="website">')
    assert _decide(body, BASE + "/contact/") is None


def test_empty_page_without_any_javascript_mark_is_not_rendered():
    assert _decide(_page("<div><p>قصير</p></div>")) is None


@pytest.mark.parametrize(
    "extracted, signals, expected",
    [
        (Extracted(url="u", is_article=False, reason="listing"), ShellSignals(mount=True, external_scripts=1), None),
        (Extracted(url="u", is_article=False, reason="error-page"), ShellSignals(mount=True, external_scripts=1), None),
        (Extracted(url="u", is_article=False, reason="too-short", noindex=True), ShellSignals(mount=True, external_scripts=1), None),
        (Extracted(url="u", is_article=False, reason="too-short"), ShellSignals(mount=True, external_scripts=1), "shell:mount"),
        (Extracted(url="u", is_article=False, reason="too-short"), ShellSignals(mount=True), None),  # no script at all
        (Extracted(url="u", is_article=False, reason="no-date"), ShellSignals(visible_chars=900, mount=True, external_scripts=1), None),
        (Extracted(url="u", is_article=False, reason="too-short"), ShellSignals(js_notice=True), "shell:js-notice"),
        (Extracted(url="u", is_article=False, reason="too-short"), ShellSignals(visible_chars=50, script_chars=5000), "shell:scripts"),
        (Extracted(url="u", is_article=True, text="x" * 300), ShellSignals(prose_chars=2000), "teaser:inline-data"),
        (Extracted(url="u", is_article=True, text="x" * 300), ShellSignals(prose_chars=500), None),
        (Extracted(url="u", is_article=True, text="x" * 300), ShellSignals(mount=True, external_scripts=2), None),
        (Extracted(url="u", is_article=True, text="x" * 800), ShellSignals(prose_chars=5000, js_notice=True), None),
    ],
)
def test_decision_table(extracted, signals, expected):
    assert needs_browser(extracted, signals) == expected


def test_unparsable_bytes_give_no_signals():
    assert shell_signals(b"") == ShellSignals()


# -- modes and memory ----------------------------------------------------------------------------------


class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1):
        self.values[key] = self.values.get(key, 0) + count

    def set_value(self, key, value):
        self.values[key] = value


class _Engine:
    def __init__(self):
        self.crawled = []

    def crawl(self, request):
        self.crawled.append(request)


class _Crawler:
    def __init__(self):
        self.stats = _Stats()
        self.engine = _Engine()


def _policy(mode="auto", sites=None) -> RenderPolicy:
    return RenderPolicy(mode, sites, crawler=_Crawler())


def _response(url: str, body: bytes, **meta) -> HtmlResponse:
    request = Request(url, meta={"frontier_key": url, "kind": "page", "depth": 2, "download_slot": "x", **meta},
                      headers={"If-None-Match": '"abc"'}, priority=10, dont_filter=True)
    return HtmlResponse(url=url, body=body, request=request, encoding="utf-8")


SHELL = (JSSITE / "posts" / "api-trains" / "index.html").read_bytes()
SHELL_EXTRACTED = Extracted(url="u", is_article=False, reason="too-short")
RENDERED = Extracted(url="u", is_article=True, text="ن" * 900)


def test_auto_mode_sends_an_app_shell_to_the_browser_with_its_frontier_meta():
    policy = _policy()
    response = _response(BASE + "/posts/a/", SHELL)
    assert policy.retry_in_browser(response, SHELL_EXTRACTED)
    assert policy.handed_over(response)
    (request,) = policy.crawler.engine.crawled
    assert request.url == response.url and request.dont_filter and request.priority == 10
    assert request.meta["playwright"] is True and request.meta["playwright_include_page"] is False
    assert request.meta["frontier_key"] == response.url and request.meta["depth"] == 2
    assert "download_slot" not in request.meta and "js_handed_over" not in request.meta
    assert policy.crawler.stats.values["js/render/shell:mount"] == 1


def test_a_rendered_response_is_never_sent_again_and_teaches_the_site():
    policy = _policy()
    site = "127.0.0.1:8000"
    assert policy.request_meta(BASE + "/posts/b/", "page") == {}
    rendered = _response(BASE + "/posts/a/", SHELL, playwright=True, js_static_chars=0)
    assert not policy.retry_in_browser(rendered, RENDERED)
    assert policy.memory[site].needs_js
    assert policy.crawler.stats.values["js/needs_js_sites"] == site
    assert policy.request_meta(BASE + "/posts/b/", "page")["playwright"] is True
    assert policy.request_meta(BASE + "/", "page") == {}  # listings stay plain HTTP
    assert policy.request_meta(BASE + "/sitemap.xml", "sitemap") == {}
    assert policy.request_meta("http://other.example/posts/b/", "page") == {}


def test_renders_that_never_help_make_auto_mode_give_up_on_the_site():
    policy = _policy()
    for i in range(GIVE_UP):
        rendered = _response(f"{BASE}/posts/{i}/", SHELL, playwright=True, js_static_chars=0)
        policy.retry_in_browser(rendered, SHELL_EXTRACTED)
    assert not policy.retry_in_browser(_response(BASE + "/posts/z/", SHELL), SHELL_EXTRACTED)
    assert policy.crawler.engine.crawled == []
    assert policy.crawler.stats.values["js/rendered/useless"] == GIVE_UP


def test_the_memory_outlives_the_run_through_its_stats(tmp_path):
    from pipelines.storage import runs
    from pipelines.storage.store import Store

    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    try:
        with store.begin() as session:
            run = runs.begin(session, [BASE + "/"], FETCHED)
            runs.end(session, run.id, runs.FINISHED, FETCHED, {"js/needs_js_sites": "127.0.0.1:8000 news.example"})
            runs.begin(session, [BASE + "/"], FETCHED)  # the run now starting
        policy = RenderPolicy("auto", crawler=_Crawler(), store=store)
        policy.load_memory()
    finally:
        store.close()
    assert policy.needs_js_sites() == ["127.0.0.1:8000", "news.example"]
    assert policy.request_meta(BASE + "/posts/new/", "page")["playwright"] is True
    assert policy.crawler.stats.values["js/needs_js_sites"] == "127.0.0.1:8000 news.example"  # carried on


def test_always_and_never_modes_and_per_site_overrides():
    policy = _policy("never", {"127.0.0.1:8000": "always"})
    assert policy.request_meta(BASE + "/", "page")["playwright"] is True
    assert policy.request_meta(BASE + "/feed/", "feed") == {}
    assert policy.request_meta("http://other.example/posts/a/", "page") == {}
    assert not policy.retry_in_browser(_response("http://other.example/posts/a/", SHELL), SHELL_EXTRACTED)
    always = _policy("always")
    assert not always.retry_in_browser(_response(BASE + "/posts/a/", SHELL), SHELL_EXTRACTED)  # already rendered


def test_modes_and_sites_are_parsed_strictly():
    assert parse_mode(None) == "auto" and parse_mode(" Always ") == "always"
    with pytest.raises(ValueError, match="auto, always, never"):
        parse_mode("sometimes")
    assert parse_sites('{"http://Blog.Example:8080/x": "never", "news.example": "always"}') == {
        "blog.example:8080": "never", "news.example": "always",
    }
    assert parse_sites("") == {} and parse_sites({}) == {}
    with pytest.raises(ValueError):
        parse_sites({"a.example": "maybe"})


def test_crawl_command_sets_the_mode():
    from crawler.cli import build_parser
    from crawler.commands.crawl import build_args, crawl_settings

    args = build_parser().parse_args(["crawl", "http://a.example/", "--js", "never"])
    assert crawl_settings(args).get("BLOGCRAWL_JS") == "never"
    assert crawl_settings(build_args(["http://a.example/"])).get("BLOGCRAWL_JS") == "auto"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["crawl", "http://a.example/", "--js", "sometimes"])


# -- the browser -------------------------------------------------------------------------------------


def test_launch_options_add_flags_and_the_configured_executable():
    options = launch_options(Settings({"BLOGCRAWL_BROWSER": "/opt/chromium/chrome",
                                       "PLAYWRIGHT_LAUNCH_OPTIONS": {"args": ["--lang=ar"], "timeout": 5000}}))
    assert options["executable_path"] == "/opt/chromium/chrome"
    assert options["args"][0] == "--lang=ar" and set(CHROMIUM_ARGS) <= set(options["args"])
    assert options["timeout"] == 5000
    assert "executable_path" not in launch_options(Settings({}))


def test_the_missing_browser_message_names_both_ways_to_install_one():
    message = unavailable_message("Executable doesn't exist at /x\n╔═══╗ playwright install")
    assert "apt-get install chromium" in message and "playwright install chromium" in message
    assert "BLOGCRAWL_BROWSER" in message and "\n" not in message


class _BrowserRequest:
    """The parts of a Playwright request that abort_request reads."""

    def __init__(self, url: str, kind: str = "fetch", page_url: str = BASE + "/posts/a/", navigation: bool = False):
        self.url, self.resource_type, self._navigation = url, kind, navigation

        class _Frame:
            class page:  # noqa: N801
                class main_frame:  # noqa: N801
                    pass

        _Frame.page.main_frame.url = page_url
        self.frame = _Frame

    def is_navigation_request(self) -> bool:
        return self._navigation


@pytest.mark.parametrize(
    "request_, aborted",
    [
        (_BrowserRequest(BASE + "/cover.jpg", "image"), True),
        (_BrowserRequest(BASE + "/naskh.woff2", "font"), True),
        (_BrowserRequest(BASE + "/clip.mp4", "media"), True),
        (_BrowserRequest(BASE + "/app.js", "script"), False),
        (_BrowserRequest(BASE + "/app.css", "stylesheet"), False),
        (_BrowserRequest(BASE + "/api/posts/a.json"), False),  # the page's own (internal) site
        (_BrowserRequest("https://api.example.com/posts/a.json"), False),
        (_BrowserRequest("http://169.254.169.254/latest/meta-data/"), True),
        (_BrowserRequest("http://10.0.0.5:9200/_search"), True),
        (_BrowserRequest("http://localhost:6379/"), True),
        (_BrowserRequest("http://127.0.0.1:8001/admin", "document", navigation=True), True),  # a script's redirect
        (_BrowserRequest(BASE + "/posts/a/", "document", page_url="about:blank", navigation=True), False),
        (_BrowserRequest("http://10.0.0.5/", "fetch", page_url="about:blank"), True),
        (_BrowserRequest("data:text/plain,x"), False),
    ],
    ids=lambda v: str(v) if isinstance(v, bool) else f"{v.resource_type}-{v.url[:40]}",
)
def test_the_browser_skips_heavy_resources_and_internal_addresses(request_, aborted):
    import asyncio

    assert asyncio.run(abort_request(request_)) is aborted


def test_the_browser_never_sends_conditional_headers():
    import asyncio

    from scrapy.http import Headers

    class _PlaywrightRequest:
        url = BASE + "/posts/a/"

        async def all_headers(self):
            return {"user-agent": "Chromium"}

        def is_navigation_request(self):
            return True

    headers = Headers({"If-None-Match": '"abc"', "If-Modified-Since": "Sun, 10 Mar 2024 12:00:00 GMT",
                       "User-Agent": "blogcrawl/0.1", "Accept-Language": "ar"})
    sent = asyncio.run(browser_request_headers(
        browser_type_name="chromium", playwright_request=_PlaywrightRequest(),
        scrapy_request_data={"method": "GET", "url": BASE, "headers": headers, "body": b"", "encoding": "utf-8"},
    ))
    assert {k.lower(): v for k, v in sent.items()} == {"user-agent": "blogcrawl/0.1", "accept-language": "ar"}


def test_the_provider_starts_nothing_until_a_browser_is_needed():
    import asyncio

    from scrapy_playwright.handler import Config

    provider = LazyBrowserProvider(Config.from_settings(Settings({})))
    asyncio.run(provider.start())
    assert provider.playwright is None
    asyncio.run(provider.close())  # closing an unstarted provider is fine


def test_the_handler_is_scrapy_playwrights():
    from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

    assert issubclass(BrowserDownloadHandler, ScrapyPlaywrightDownloadHandler)


# -- needless renders: a site whose renders gain nothing stops going to the browser ----------------------


def _static(i: int):
    return _response(f"{BASE}/portfolio/{i}/", SHELL)


def _verdict(policy, request, extracted=SHELL_EXTRACTED) -> None:
    """The rendered copy of a handed-over page comes back (``extracted``: what the render gave)."""
    rendered = _response(request.url, SHELL, **{k: v for k, v in request.meta.items() if k.startswith(("playwright", "js_"))})
    assert not policy.retry_in_browser(rendered, extracted)


def test_concurrent_pages_of_an_unproven_site_wait_for_the_first_renders_verdict():
    """Ten pages come in before any render is judged: GIVE_UP trial renders go out, the rest wait; when
    the trials gained nothing, the waiting pages are fetched again as plain HTTP, never rendered."""
    policy = _policy()
    for i in range(10):
        assert policy.retry_in_browser(_static(i), SHELL_EXTRACTED)  # handed over (rendered or waiting)
    trials = list(policy.crawler.engine.crawled)
    assert len(trials) == GIVE_UP and all(r.meta.get("playwright") for r in trials)
    policy.crawler.engine.crawled.clear()
    for request in trials:
        _verdict(policy, request)
    again = policy.crawler.engine.crawled
    assert len(again) == 10 - GIVE_UP and not any(r.meta.get("playwright") for r in again)
    assert all(r.meta["frontier_key"] == r.url for r in again)
    for request in again:  # the plain copy is kept as it is, never sent to the browser again
        assert not policy.retry_in_browser(_response(request.url, SHELL, **request.meta), SHELL_EXTRACTED)
    assert not policy.retry_in_browser(_static(99), SHELL_EXTRACTED)
    assert len(policy.crawler.engine.crawled) == 10 - GIVE_UP
    assert policy.crawler.stats.values["js/rendered/useless"] == GIVE_UP


def test_waiting_pages_go_to_the_browser_when_a_trial_helped():
    policy = _policy()
    for i in range(6):
        policy.retry_in_browser(_static(i), SHELL_EXTRACTED)
    first = policy.crawler.engine.crawled[0]
    _verdict(policy, first, RENDERED)
    rendered = [r for r in policy.crawler.engine.crawled if r.meta.get("playwright")]
    assert len(rendered) == 6  # the three trials and the three that waited


def test_a_failed_render_counts_as_fruitless():
    from twisted.python.failure import Failure

    policy = _policy()
    for i in range(GIVE_UP):
        policy.retry_in_browser(_static(i), SHELL_EXTRACTED)
    for request in policy.crawler.engine.crawled:
        failure = Failure(TimeoutError("navigation timeout"))
        failure.request = request
        assert not policy.browser_failed(failure)
    assert policy.memory["127.0.0.1:8000"].given_up


class _Writer:
    """A BatchWriter stand-in: runs each unit at once in a session of ``store``."""

    def __init__(self, store):
        self.store = store

    def send(self, work, then=None):
        with self.store.begin() as session:
            result = work(session)
        if then is not None:
            then(result)


def test_a_given_up_site_stays_given_up_in_the_next_process(tmp_path):
    """The render memory is in the store (site_state): a resumed run, or the next one, renders nothing there."""
    from pipelines.storage.store import Store

    store = Store(f"sqlite:///{tmp_path}/store.sqlite3")
    try:
        policy = RenderPolicy("auto", crawler=_Crawler(), store=store, writer=_Writer(store))
        for i in range(GIVE_UP):
            policy.retry_in_browser(_static(i), SHELL_EXTRACTED)
        for request in list(policy.crawler.engine.crawled):
            _verdict(policy, request)
        later = RenderPolicy("auto", crawler=_Crawler(), store=store, writer=_Writer(store))
        later.load_memory()
    finally:
        store.close()
    assert later.memory["127.0.0.1:8000"].given_up
    assert not later.retry_in_browser(_static(50), SHELL_EXTRACTED)
    assert later.crawler.engine.crawled == []
