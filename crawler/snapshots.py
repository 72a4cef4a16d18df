"""From a Scrapy response to extraction's input (``PageSnapshot``) and the pipelines' ``ArticleItem``."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy.http import Response

from crawler.items import ArticleItem, Extracted, PageSnapshot
from crawler.urls import site_of


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def header(headers, name: bytes) -> str | None:
    value = headers.get(name) if headers is not None else None
    return value.decode("latin-1") if value else None


def header_charset(response: Response) -> str | None:
    """The charset of the Content-Type header, if it names one."""
    content_type = header(response.headers, b"Content-Type") or ""
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def body_hash(body: bytes | None) -> str | None:
    return hashlib.sha256(body).hexdigest() if body else None


def http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def page_time(response: Response) -> datetime:
    """When the page was rendered, by the server's own clock: ``Last-Modified`` when it is not later than
    ``Date``, else ``Date``, else now. Relative dates on the page ("3 days ago") count from it."""
    served = http_date(header(response.headers, b"Date")) or utcnow()
    rendered = http_date(header(response.headers, b"Last-Modified"))
    return rendered if rendered is not None and rendered <= served else served


def snapshot_of(response: Response) -> PageSnapshot:
    return PageSnapshot(
        url=response.url,
        body=response.body,
        fetched_at=page_time(response),
        http_charset=header_charset(response),
        requested_url=(response.meta.get("redirect_urls") or [response.url])[0],
        hints=response.meta.get("hints"),
    )


def article_item(extracted: Extracted, response: Response) -> ArticleItem:
    meta = response.meta
    keys = meta.get("frontier_keys") or ([meta["frontier_key"]] if "frontier_key" in meta else [])
    return ArticleItem(
        url=extracted.url,
        fetched_url=response.url,
        site=site_of(response.url),
        title=extracted.title,
        text=extracted.text,
        fetched_at=utcnow(),
        author=extracted.author,
        published=extracted.published,
        modified=extracted.modified,
        date_source=extracted.date_source,
        language=extracted.language,
        sitename=extracted.sitename,
        kind=extracted.kind,
        etag=header(response.headers, b"ETag"),
        last_modified=header(response.headers, b"Last-Modified"),
        alias_urls=list(meta.get("redirect_urls") or []),
        frontier_keys=list(keys),
        status=response.status,
        body_hash=body_hash(response.body),
        canonical_href=extracted.links.canonical if extracted.links is not None else declared_canonical(response),
        signature=extracted.signature,
        side_blocks=extracted.side_blocks,
    )


def declared_canonical(response: Response) -> str | None:
    """The page's rel=canonical as an absolute URL (None when it has none)."""
    try:
        href = response.xpath("//link[@rel='canonical']/@href").get()
    except (AttributeError, ValueError):  # not a text response
        return None
    return response.urljoin(href.strip()) if href and href.strip() else None
