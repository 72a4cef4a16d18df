"""The crawl's roots from the spider's arguments (``-a url=A,B`` and/or ``urls=[...]``), checked."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.urls import blog_root, is_http_url


def crawl_roots(url: str | None, urls: list[str] | None) -> list[str]:
    """The root URL of each blog given (a root with a path is that blog: ``crawler.discovery.policy``); ``ValueError`` (one line) when none is given or one is not http(s)."""
    given = list(urls or []) + [u for u in (url or "").split(",") if u.strip()]
    if not given:
        raise ValueError("no site to crawl: give one or more root URLs (-a url=https://blog.example/)")
    for root in given:
        if not is_http_url(root) or not urlsplit(root).hostname:
            raise ValueError(f"not an http(s) URL: {root!r}")
    return [blog_root(u) for u in given]
