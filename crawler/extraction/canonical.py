"""The page's canonical URL: rel=canonical when it stays on the same host, else the fetched URL."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from .document import Document

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_key(url: str) -> tuple[str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    return (host.removeprefix("www."), port) if host else None


def canonical_url(doc: Document) -> str:
    """rel=canonical (resolved against the page URL) if on the page's host, else the page URL."""
    for link in doc.tree.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" not in rels or not href:
            continue
        try:
            target = urljoin(doc.url, href)
        except ValueError:
            return doc.url
        key = _host_key(target)
        if key is not None and key == _host_key(doc.url) and urlsplit(target).scheme in ("http", "https"):
            return target.split("#", 1)[0]
        return doc.url
    return doc.url
