"""AddressGuardMiddleware: never fetch a non-http(s) URL or an internal address that is not a crawled site.

Every request passes here, redirect targets and robots.txt included (a redirect is a new request that
goes through the whole chain). Refused:

- schemes other than http and https (``file:``, ``ftp:``, ``data:``, ``gopher:``...);
- loopback, private, link-local, reserved and unspecified addresses and ``localhost``, given
  literally or (``BLOGCRAWL_GUARD_RESOLVE``, on by default) as a host name that resolves to one,
  unless ``host[:port]`` is one of the crawled sites (a blog on the intranet may be crawled on
  purpose; nothing else on that network may be reached through it).

Name resolution runs in a thread, so the reactor never waits on DNS; answers are cached per host. A
name that does not resolve is let through (the download fails as it would anyway). The check happens
before Scrapy connects, so a name whose DNS answer changes between the two (rebinding) is not caught
here. Stats: ``guard/refused/scheme``, ``guard/refused/private``, ``guard/refused/resolved_private``.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.asyncio import run_in_thread

from crawler.urls import is_private_host, site_of

LOGGER = logging.getLogger(__name__)
SCHEMES = ("http", "https")
_CACHE_LIMIT = 10_000


class RefusedAddress(IgnoreRequest):
    """The request targets a scheme or an address the crawler must not reach."""


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [info[4][0] for info in infos]


class AddressGuardMiddleware:
    def __init__(self, crawler, resolve: bool = True):
        self.crawler = crawler
        self.resolve = resolve
        self._private: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getbool("BLOGCRAWL_GUARD_RESOLVE", True))

    async def process_request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme.lower() not in SCHEMES or not parts.hostname:
            self._refuse("scheme", request.url)
        if site_of(request.url) in getattr(self.crawler.spider, "sites", ()):
            return None
        host = parts.hostname
        if is_private_host(host):
            self._refuse("private", request.url)
        if self.resolve and not _is_ip_literal(host):
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
            if await self._resolves_private(host, port):
                self._refuse("resolved_private", request.url)
        return None

    async def _resolves_private(self, host: str, port: int) -> bool:
        if host not in self._private:
            addresses = await run_in_thread(_resolve, host, port)
            if len(self._private) >= _CACHE_LIMIT:
                self._private.clear()
            self._private[host] = any(is_private_host(a.split("%", 1)[0]) for a in addresses)
        return self._private[host]

    def _refuse(self, why: str, url: str) -> None:
        self.crawler.stats.inc_value(f"guard/refused/{why}")
        LOGGER.info("refused (%s): %s", why, url)
        raise RefusedAddress(f"refused ({why}): {url}")
