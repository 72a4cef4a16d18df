"""Which pages go to the browser: plain HTTP first, Chromium only for pages whose article JavaScript writes.

Modes (``BLOGCRAWL_JS``, ``blogcrawl crawl --js``; per site ``BLOGCRAWL_JS_SITES = {"host[:port]": mode}``):

- ``never``: plain HTTP only.
- ``always``: every page (not sitemaps, feeds or robots.txt) is rendered in the browser.
- ``auto`` (default): plain HTTP. A page is fetched again in the browser when its static HTML yields no
  article body, or a short one, although it looks like a post and carries the marks of an application
  shell (``needs_browser``). When a rendered copy proves much longer than the static one, the site is
  remembered: its later post URLs go straight to the browser. A site whose renders gained no text
  ``GIVE_UP`` (3) times, none of them fruitful, is not rendered again: at most ``GIVE_UP`` trial renders
  of a site are in flight at once, so concurrent pages cannot all go to the browser before the first
  answer comes back: the others wait (``js/render/waiting``) and, once the site is given up, are
  fetched again as plain HTTP (``js/render/fruitless_site``), or rendered when a trial helped. A render
  that fails counts as fruitless. A site given up is not given up for ever: ``RETRY_GIVEN_UP`` (30 days)
  after it was given up it gets one new trial render (``js/render/retrial``); if that gains nothing it is
  given up for another 30 days, if it helps its pages are rendered again.

The memory is in the store (site_state ``render``: ``{"helped": n, "useless": n, "given_up_at": ISO}``,
written as each render is judged, read when a crawl opens; a site given up before ``given_up_at`` was
kept gets its trial at once), so a resumed run, the next run and a fleet's workers know it;
sites recorded by older runs in the ``js/needs_js_sites`` stat are read too. Browser traffic (the
requests Chromium makes for a page) is in the run's stats: ``playwright/page_count`` (renders),
``playwright/request_count`` and ``playwright/request_count/aborted`` (images, fonts, media blocked);
``blogcrawl runs`` shows them.
"""

from __future__ import annotations

import json
import logging
import re
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lxml import etree, html
from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.browser import BrowserUnavailable
from crawler.items import Extracted
from crawler.urls import looks_like_listing, site_of

LOGGER = logging.getLogger(__name__)

AUTO, ALWAYS, NEVER = "auto", "always", "never"
MODES = (AUTO, ALWAYS, NEVER)
BROWSER_MISSING = "browser_missing"  # the close reason of a crawl that needed a browser and had none
SITES_STAT = "js/needs_js_sites"
STATE = "render"  # site_state name of a site's render memory
STATIC_ONLY = "blogcrawl_static_only"  # meta of a page fetched again as plain HTTP once its site is given up

FULL_BODY_CHARS = 500  # an article this long is never rendered again
SHELL_VISIBLE_CHARS = 500  # an application shell shows less text than this
MIN_PROSE_CHARS = 400  # prose in inline scripts that counts as "the article is in the data"
SCRIPT_HEAVY_CHARS = 2000
GIVE_UP = 3  # useless renders of a site, none useful, before auto mode stops trying it
RETRY_GIVEN_UP = timedelta(days=30)  # after this long a given-up site gets one new trial render
SETTLE_MS = 5000  # longest wait for the page's own requests (an API call filling the article)

_MOUNT_IDS = frozenset({"app", "root", "__next", "__nuxt", "___gatsby", "svelte", "application", "react-root", "main-app"})
_MOUNT_XPATH = "//*[@data-reactroot or @ng-version or @data-server-rendered] | //app-root"
_HIDDEN = ("script", "style", "noscript", "template")
_JS_NOTICE = re.compile(r"javascript|جافا\s?سكربت|جافا\s?سكريبت|جافاسكريبت", re.IGNORECASE)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.){40,})"')
_NOT_POSTS = frozenset({"listing", "listing-url", "error-page", "not-html"})
# Scrapy's and scrapy-playwright's own request meta: not carried over to the browser request.
_INTERNAL_META = ("download_", "redirect_", "retry_", "_", "playwright", "js_")


@dataclass(frozen=True, slots=True)
class ShellSignals:
    """What the static HTML says about JavaScript filling the page in."""

    visible_chars: int = 0  # text in <body> outside scripts, styles, <noscript> and templates
    prose_chars: int = 0  # text of sentence-like strings inside inline scripts (JSON data, app state)
    script_chars: int = 0  # inline script code
    external_scripts: int = 0
    mount: bool = False  # an application mount point: <div id="app">, #root, #__next, [data-reactroot]...
    js_notice: bool = False  # a <noscript> that asks for JavaScript


def shell_signals(body: bytes) -> ShellSignals:
    try:
        tree = html.fromstring(body)
    except (etree.ParserError, ValueError, TypeError):
        return ShellSignals()
    return tree_signals(tree)


def render_hint(extracted: Extracted, tree) -> str | None:
    """``needs_browser`` for a page whose parsed tree is ``tree`` (computed in the extraction worker);
    the signals are only read when the extraction leaves the question open."""
    if extracted.reason in _NOT_POSTS or extracted.noindex:
        return None
    if extracted.is_article and len(extracted.text or "") >= FULL_BODY_CHARS:
        return None
    return needs_browser(extracted, tree_signals(tree))


def tree_signals(tree) -> ShellSignals:
    """The shell signals of an lxml.html tree (not modified)."""
    prose = code = external = 0
    for script in tree.iter("script"):
        kind = (script.get("type") or "").strip().lower()
        if script.get("src"):
            external += 1
        if kind == "application/ld+json" or not script.text:
            continue
        prose += _prose_chars(script.text)
        if kind in ("", "text/javascript", "module", "application/javascript"):
            code += len(script.text)
    notice = any(_JS_NOTICE.search(n.text_content() or "") for n in tree.iter("noscript"))
    return ShellSignals(
        visible_chars=_visible_chars(tree),
        prose_chars=prose,
        script_chars=code,
        external_scripts=external,
        mount=_has_mount(tree),
        js_notice=notice,
    )


def needs_browser(extracted: Extracted, signals: ShellSignals) -> str | None:
    """Why a page should be rendered (``shell:*``, ``teaser:*``), or None when its static HTML is enough."""
    if extracted.reason in _NOT_POSTS or extracted.noindex:
        return None
    text = len(extracted.text or "")
    if extracted.is_article:
        if text >= FULL_BODY_CHARS:
            return None
        if signals.js_notice and (signals.mount or signals.external_scripts):
            return "teaser:js-notice"
        if signals.prose_chars >= MIN_PROSE_CHARS and signals.prose_chars > 2 * text:
            return "teaser:inline-data"
        return None
    if signals.prose_chars >= MIN_PROSE_CHARS and signals.prose_chars > 2 * signals.visible_chars:
        return "shell:inline-data"
    if signals.visible_chars >= SHELL_VISIBLE_CHARS:
        return None
    if signals.mount and (signals.external_scripts or signals.script_chars):
        return "shell:mount"
    if signals.js_notice:
        return "shell:js-notice"
    if signals.script_chars >= SCRIPT_HEAVY_CHARS and signals.visible_chars < 200:
        return "shell:scripts"
    return None


def _visible_chars(tree) -> int:
    body = tree.find(".//body")
    if body is None:
        return 0
    body = deepcopy(body)
    etree.strip_elements(body, *_HIDDEN, with_tail=False)
    return len(" ".join(body.text_content().split()))


def _has_mount(tree) -> bool:
    for node in tree.iter("div", "main", "section"):
        if (node.get("id") or "").lower() in _MOUNT_IDS:
            return True
    return bool(tree.xpath(_MOUNT_XPATH))


def _prose_chars(code: str) -> int:
    """Characters of sentence-like string literals (several words) in script code or JSON."""
    total = 0
    for match in _STRING.finditer(code):
        try:
            value = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        if value.count(" ") >= 4 and not value.lstrip().startswith(("<", "{", "function", "http")):
            total += len(value)
    return total


async def settle(page, timeout_ms: int) -> None:
    """Wait until the page's own requests are over (an API call filling the article), at most ``timeout_ms``."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeoutError:
        pass


def browser_meta(settle_ms: int = SETTLE_MS, **extra) -> dict:
    """Request meta that has scrapy-playwright render the page (and close it when read)."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_include_page": False,
        "playwright_page_goto_kwargs": {"wait_until": "load"},
        "playwright_page_methods": [PageMethod(settle, settle_ms)],
        **extra,
    }


@dataclass(slots=True)
class SiteMemory:
    helped: int = 0  # renders much longer than the static page
    useless: int = 0  # renders that added nothing (or failed)
    trying: int = 0  # trial renders handed over and not judged yet (in memory only)
    given_up_at: str | None = None  # ISO 8601 UTC: when the site was given up (its retrial is RETRY_GIVEN_UP later)

    @property
    def needs_js(self) -> bool:
        return self.helped > self.useless

    @property
    def given_up(self) -> bool:
        return self.helped == 0 and self.useless >= GIVE_UP

    @property
    def may_try(self) -> bool:
        """Another trial render may start: the site has been helped, or the renders judged and in flight
        stay under ``GIVE_UP``."""
        return self.helped > 0 or self.useless + self.trying < GIVE_UP

    def as_state(self) -> dict:
        state = {"helped": self.helped, "useless": self.useless}
        return {**state, "given_up_at": self.given_up_at} if self.given_up_at else state

    @classmethod
    def from_state(cls, value: dict) -> "SiteMemory":
        given_up_at = value.get("given_up_at")
        return cls(helped=int(value.get("helped", 0)), useless=int(value.get("useless", 0)),
                   given_up_at=given_up_at if isinstance(given_up_at, str) else None)

    def note_given_up(self, now: datetime) -> None:
        """Dates the give-up (once: a site given up stays so until its retrial)."""
        if self.given_up and self.given_up_at is None:
            self.given_up_at = now.isoformat()

    def retrial_due(self, now: datetime) -> bool:
        """Given up ``RETRY_GIVEN_UP`` ago or more (or at a time not recorded): one trial render may go."""
        if not self.given_up:
            return False
        try:
            since = datetime.fromisoformat(self.given_up_at) if self.given_up_at else None
        except ValueError:
            since = None
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return since is None or now - since >= RETRY_GIVEN_UP

    def retried(self) -> "SiteMemory":
        """The memory of a site whose retrial is due: one fruitless render from being given up again."""
        return SiteMemory(helped=0, useless=GIVE_UP - 1)


def parse_mode(value, name: str = "BLOGCRAWL_JS") -> str:
    mode = str(value or AUTO).strip().lower()
    if mode not in MODES:
        raise ValueError(f"{name} must be one of {', '.join(MODES)}, not {value!r}")
    return mode


def parse_sites(value) -> dict[str, str]:
    """``{"host[:port]" or URL: mode}`` (a dict or its JSON) -> ``{site: mode}``."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else {}
    sites = {}
    for key, mode in dict(value or {}).items():
        site = site_of(key) if "://" in key else key.strip().lower()
        sites[site] = parse_mode(mode, f"BLOGCRAWL_JS_SITES[{key!r}]")
    return sites


class RenderPolicy:
    """Per crawl: the rendering mode of each site and what rendering taught about it."""

    def __init__(self, mode: str = AUTO, sites: dict[str, str] | None = None, *, crawler=None, store=None,
                 settle_ms: int = SETTLE_MS, writer=None, clock=None):
        self.default_mode = parse_mode(mode)
        self.sites = dict(sites or {})
        self.crawler = crawler
        self.store = store
        self.writer = writer  # the crawl's BatchWriter: render memory is saved through it (off the event loop)
        self.settle_ms = settle_ms
        self.clock = clock or (lambda: datetime.now(timezone.utc))  # when a site is given up, and its retrial is due
        self.memory: dict[str, SiteMemory] = {}
        self._browser_error: str | None = None
        self.parked: dict[str, list] = {}  # site -> [(browser request, static meta)] waiting for a verdict
        self._closing = None

    @classmethod
    def from_crawler(cls, crawler, store=None, writer=None) -> "RenderPolicy":
        settings = crawler.settings
        policy = cls(
            settings.get("BLOGCRAWL_JS"),
            parse_sites(settings.get("BLOGCRAWL_JS_SITES")),
            crawler=crawler,
            store=store,
            settle_ms=settings.getint("BLOGCRAWL_JS_SETTLE_MS", SETTLE_MS),
            writer=writer,
        )
        crawler.signals.connect(policy.load_memory, signal=signals.spider_opened)
        return policy

    def mode(self, site: str) -> str:
        return self.sites.get(site, self.default_mode)

    def _inc(self, key: str) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(key)

    # -- before the fetch --------------------------------------------------------------------------

    def request_meta(self, url: str, kind: str) -> dict:
        """Extra meta for a frontier request: the browser for pages of ``always`` sites and of sites known to need it."""
        if kind != "page":
            return {}
        site = site_of(url)
        mode = self.mode(site)
        if mode == ALWAYS:
            self._inc("js/render/always")
            return browser_meta(self.settle_ms)
        if mode == AUTO and site in self.memory and self.memory[site].needs_js and not looks_like_listing(url):
            self._inc("js/render/remembered")
            return browser_meta(self.settle_ms)
        return {}

    # -- after the fetch ---------------------------------------------------------------------------

    def retry_in_browser(self, response, extracted: Extracted) -> bool:
        """True when ``response`` (static HTML) goes to the browser; the rendered response then stands for it."""
        site = site_of(response.url)
        if response.meta.get("playwright"):
            self._learn(site, response.meta, extracted)
            return False
        memory = self.memory.get(site, SiteMemory())
        if self.mode(site) != AUTO or memory.given_up or response.meta.get(STATIC_ONLY):
            return False
        if extracted.links is not None:  # analysed in the worker (crawler/pages.py): no parse on the event loop
            reason = extracted.render_hint
        else:
            reason = needs_browser(extracted, shell_signals(response.body))
        if reason is None:
            return False
        memory = self.memory.setdefault(site, memory)
        kept = {k: v for k, v in response.meta.items() if not k.startswith(_INTERNAL_META)}
        meta = {**kept, **browser_meta(self.settle_ms, js_static_chars=len(extracted.text or ""))}
        request = response.request.replace(url=response.url, meta=meta, dont_filter=True)
        if memory.may_try:
            memory.trying += 1
            self.crawler.engine.crawl(request)
        else:  # enough trial renders of this site are out: the page waits for their verdict
            self.parked.setdefault(site, []).append((request, kept))
            self._inc("js/render/waiting")
        response.meta["js_handed_over"] = True
        self._inc(f"js/render/{reason}")
        LOGGER.debug("rendering %s in the browser (%s)", response.url, reason)
        return True

    @staticmethod
    def handed_over(response) -> bool:
        """The page went to the browser: its rendered copy finishes it, not this response."""
        return bool(response.meta.get("js_handed_over"))

    def _learn(self, site: str, meta, extracted: Extracted) -> None:
        static = meta.get("js_static_chars")
        if static is None:  # rendered straight away (always, remembered): nothing to compare
            return
        memory = self.memory.setdefault(site, SiteMemory())
        memory.trying = max(0, memory.trying - 1)
        rendered = len(extracted.text or "") if extracted.is_article else 0
        if rendered >= max(1.5 * static, static + 200):
            memory.helped += 1
            self._inc("js/rendered/helped")
            if memory.helped == 1:
                LOGGER.info("%s writes its posts with JavaScript: its post pages now go straight to the browser", site)
        else:
            memory.useless += 1
            memory.note_given_up(self.clock())
            self._inc("js/rendered/useless")
            if memory.given_up:
                LOGGER.info("rendering never helped on %s: its pages are no longer rendered", site)
        self._save_sites()
        self._save_state(site, memory)
        self._release(site, memory)

    def _release(self, site: str, memory: SiteMemory) -> None:
        """After a verdict: pages waiting for it go to the browser (the site needs it, or more trials may
        start), or, when the site is given up, are fetched again as plain HTTP (one request each, not a render)."""
        waiting = self.parked.get(site)
        while waiting and (memory.helped or memory.given_up or memory.may_try):
            request, static_meta = waiting.pop(0)
            if memory.given_up:
                self._inc("js/render/fruitless_site")
                self.crawler.engine.crawl(request.replace(meta={**static_meta, STATIC_ONLY: True}, dont_filter=True))
                continue
            if not memory.helped:
                memory.trying += 1
            self.crawler.engine.crawl(request)
        if not waiting:
            self.parked.pop(site, None)

    def _fruitless(self, site: str) -> None:
        """A trial render that failed: fruitless."""
        memory = self.memory.setdefault(site, SiteMemory())
        memory.trying = max(0, memory.trying - 1)
        memory.useless += 1
        memory.note_given_up(self.clock())
        self._inc("js/rendered/failed")
        self._save_state(site, memory)
        self._release(site, memory)

    def _save_state(self, site: str, memory: SiteMemory) -> None:
        if self.writer is None:
            return
        from pipelines.storage import sitestate

        value = memory.as_state()
        self.writer.send(lambda session: sitestate.save(session, site, STATE, value))

    # -- memory across runs ------------------------------------------------------------------------

    def needs_js_sites(self) -> list[str]:
        return sorted(site for site, memory in self.memory.items() if memory.needs_js)

    def _save_sites(self) -> None:
        if self.crawler is not None:
            self.crawler.stats.set_value(SITES_STAT, " ".join(self.needs_js_sites()))

    def load_memory(self, spider=None) -> None:
        """Sites that recent runs found to need the browser (their ``js/needs_js_sites`` stat)."""
        if self.store is None or self.default_mode == NEVER and not self.sites:
            return
        from pipelines.storage import runs

        from pipelines.storage import sitestate

        try:
            with self.store.begin() as session:
                recent = [run.stats or {} for run in runs.recent(session, 10)]
                saved = sitestate.load(session, STATE)
        except Exception as exc:  # the memory is an optimisation; the crawl works without it
            LOGGER.warning("could not read which sites need JavaScript: %r", exc)
            return
        now = self.clock()
        for site, value in saved.items():
            memory = SiteMemory.from_state(value)
            if memory.retrial_due(now):
                LOGGER.info("rendering gave nothing on %s since %s: trying it once more", site, memory.given_up_at or "an earlier run")
                self._inc("js/render/retrial")
                memory = memory.retried()
            self.memory[site] = memory
        for stats in recent:  # runs from before the site_state table
            for site in str(stats.get(SITES_STAT) or "").split():
                self.memory.setdefault(site, SiteMemory(helped=1))
        if self.needs_js_sites():
            LOGGER.info("sites known to need JavaScript: %s", ", ".join(self.needs_js_sites()))
            self._save_sites()

    # -- a missing browser -------------------------------------------------------------------------

    def browser_failed(self, failure) -> bool:
        """True when a fetch failed for want of a browser: logged once, and the crawl stops.

        The page's frontier row stays claimed, so the next crawl (with a browser) resumes with it. Any other
        failed trial render is fruitless for its site (False: the failure is recorded as usual)."""
        if not failure.check(BrowserUnavailable):
            request = getattr(failure, "request", None)
            if request is not None and request.meta.get("playwright") and request.meta.get("js_static_chars") is not None:
                self._fruitless(site_of(request.url))
            return False
        if self._browser_error is None:
            self._browser_error = str(failure.value)
            LOGGER.error("%s", self._browser_error)
            self._inc("js/browser_missing")
            self._closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason=BROWSER_MISSING))
        return True
