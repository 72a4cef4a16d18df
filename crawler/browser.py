"""The browser behind JavaScript rendering: scrapy-playwright's download handler, started only when a page needs it.

``BrowserDownloadHandler`` serves every http(s) request. Requests without ``meta["playwright"]`` go
through Scrapy's plain HTTP handler; the others are rendered in Chromium. Nothing of Playwright runs
until the first such request: ``LazyBrowserProvider`` starts the Playwright driver and the browser
then, and closes both when the crawl ends (scrapy-playwright closes the handler on ``engine_stopped``).

Which executable: ``BLOGCRAWL_BROWSER`` (setting or environment variable) when set; else Playwright's
own Chromium (``playwright install chromium``); else a system Chromium (``apt-get install chromium``
puts it at ``/usr/bin/chromium``). When none starts, every rendering request fails with
``BrowserUnavailable``, whose message names both ways to install one.

Limits come from scrapy-playwright's settings (``PLAYWRIGHT_MAX_CONTEXTS``,
``PLAYWRIGHT_MAX_PAGES_PER_CONTEXT``, ``PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT``, see crawler/settings.py);
images, fonts, media and internal addresses other than the page's site are never downloaded
(``abort_request``), and the browser never sends conditional-GET headers (``browser_request_headers``).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from scrapy_playwright.headers import use_scrapy_headers
from scrapy_playwright.provider import PlaywrightBrowserProvider

from crawler.urls import is_private_host, site_of

LOGGER = logging.getLogger(__name__)

SYSTEM_CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# In a container: no sandbox (root), no GPU, and no calls home (update, sync, field trials).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
LAUNCH_TIMEOUT_MS = 30_000
BLOCKED_RESOURCES = frozenset({"image", "font", "media"})
# A fresh browser context has no cache to revalidate: a 304 would abort the navigation (net::ERR_ABORTED).
CONDITIONAL_HEADERS = frozenset({"if-none-match", "if-modified-since"})


class BrowserUnavailable(Exception):
    """No browser could be started for a page that needs one."""


def unavailable_message(detail: str) -> str:
    """The one error a crawl reports when it needs a browser and has none."""
    detail = " ".join(detail.split())[:300]
    return (
        "a page needs JavaScript rendering but no Chromium could be started "
        f"({detail}). Install one: `apt-get install chromium` (Debian/Ubuntu; used from /usr/bin/chromium, "
        "or point BLOGCRAWL_BROWSER / -s BLOGCRAWL_BROWSER=PATH at any Chromium) or `playwright install chromium`; "
        "or crawl with --js never."
    )


def launch_options(settings) -> dict:
    """PLAYWRIGHT_LAUNCH_OPTIONS with blogcrawl's Chromium flags and BLOGCRAWL_BROWSER as the executable."""
    options = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") or {})
    args = list(options.get("args") or [])
    options["args"] = args + [a for a in CHROMIUM_ARGS if a not in args]
    options.setdefault("timeout", LAUNCH_TIMEOUT_MS)
    executable = settings.get("BLOGCRAWL_BROWSER")
    if executable:
        options["executable_path"] = str(executable)
    return options


def system_chromium() -> str | None:
    """A Chromium installed by the system's package manager, if any."""
    for path in SYSTEM_CHROMIUM:
        if Path(path).is_file():
            return path
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found


async def abort_request(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: what the browser must not download.

    Images, fonts and media: not needed to read an article. Internal addresses (loopback, private,
    link-local, ``localhost``) other than the page's own site: a page's scripts run inside the crawler's
    network, and what they fetch could end up in the stored text (AddressGuardMiddleware guards Scrapy's
    own requests; this guards the browser's, for literal addresses, without DNS look-ups)."""
    if request.resource_type in BLOCKED_RESOURCES:
        return True
    return _internal_elsewhere(request)


def _internal_elsewhere(request) -> bool:
    target = urlsplit(request.url)
    if target.scheme.lower() not in ("http", "https") or not is_private_host(target.hostname or ""):
        return False
    try:
        page_url = request.frame.page.main_frame.url
    except Exception:  # a worker's request, a detached frame: judge by the address alone
        page_url = ""
    if not page_url.startswith(("http://", "https://")):
        return not request.is_navigation_request()  # the first navigation is the URL Scrapy vetted
    return site_of(page_url) != site_of(request.url)


async def browser_request_headers(**kwargs) -> dict[str, str]:
    """PLAYWRIGHT_PROCESS_REQUEST_HEADERS: Scrapy's headers (user agent...) without conditional-GET ones."""
    headers = await use_scrapy_headers(**kwargs)
    return {name: value for name, value in headers.items() if name.lower() not in CONDITIONAL_HEADERS}


class LazyBrowserProvider(PlaywrightBrowserProvider):
    """Starts the Playwright driver and the browser on the first rendering request, not at engine start.

    A failed launch is remembered: later requests fail at once with the same ``BrowserUnavailable``.
    """

    def __init__(self, config) -> None:
        super().__init__(config)
        self._failure: BrowserUnavailable | None = None

    async def start(self) -> None:
        """Nothing yet: a crawl that renders no page never starts Playwright."""

    async def launch_browser(self):
        if self._failure is not None:
            raise self._failure
        if self.playwright is None:
            await super().start()
        try:
            return await super().launch_browser()
        except Exception as exc:  # playwright's Error: executable missing, missing libraries, crash at start
            fallback = self._fallback_executable(exc)
            if fallback is None:
                self._failure = BrowserUnavailable(unavailable_message(str(exc).splitlines()[0]))
                raise self._failure from exc
        LOGGER.info("Playwright's own Chromium is not installed; using %s", fallback)
        self.config.launch_options["executable_path"] = fallback
        try:
            return await super().launch_browser()
        except Exception as exc:
            self._failure = BrowserUnavailable(unavailable_message(f"{fallback}: {str(exc).splitlines()[0]}"))
            raise self._failure from exc

    def _fallback_executable(self, exc: Exception) -> str | None:
        """A system Chromium, when Playwright's own is missing and no executable was configured."""
        if self.config.launch_options.get("executable_path") or self.config.cdp_url or self.config.connect_url:
            return None
        if "executable doesn't exist" not in str(exc).lower():
            return None
        return system_chromium()

    async def close(self) -> None:
        if self.playwright is not None:
            await super().close()


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler with blogcrawl's launch options, lazy browser and resource blocking."""

    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.config.launch_options = launch_options(settings)
        if not settings.get("PLAYWRIGHT_BROWSER_PROVIDER"):
            self.browser_provider_cls = LazyBrowserProvider
        if self.abort_request is None:
            self.abort_request = abort_request
        if "PLAYWRIGHT_PROCESS_REQUEST_HEADERS" not in settings:
            self.process_request_headers = browser_request_headers
