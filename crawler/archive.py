"""The raw-page archive: every fetched response written as WARC (warcio), and read back.

``WarcArchiveMiddleware`` (on with ``BLOGCRAWL_ARCHIVE_DIR``, ``blogcrawl crawl --archive DIR``) sits
next to the downloader, so it sees each response as it came off the wire: redirects, errors, 304s,
robots.txt, sitemaps and feeds, with the status line and headers, and bodies still compressed
(``Content-Encoding``) as sent. Each response is a ``response`` record preceded by its ``request``
record. Files are ``blogcrawl-<UTC timestamp>-<n>.warc.gz``, a new one once a file reaches
``BLOGCRAWL_ARCHIVE_MAX_BYTES``; each record is a gzip member flushed at once, so a killed crawl leaves
readable files.

``responses(directory)`` reads them back, oldest file first, as ``ArchivedResponse`` (decompressed
body, bounded by ``max_bytes``) for ``blogcrawl reextract``.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.middlewares.journal import FLAG as JOURNAL_FLAG

LOGGER = logging.getLogger(__name__)
PREFIX, SUFFIX = "blogcrawl-", ".warc.gz"
_HOP_BY_HOP = {b"transfer-encoding", b"content-length"}  # Scrapy has de-chunked the body already


class WarcArchiveMiddleware:
    def __init__(self, crawler, directory: Path, max_bytes: int):
        self.crawler = crawler
        self.directory = directory
        self.max_bytes = max_bytes
        self._stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        self._n = 0
        self._handle = None
        self._writer: WARCWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        directory = crawler.settings.get("BLOGCRAWL_ARCHIVE_DIR")
        if not directory:
            raise NotConfigured  # no archive directory (BLOGCRAWL_ARCHIVE_DIR): off, silently
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        middleware = cls(crawler, path, crawler.settings.getint("BLOGCRAWL_ARCHIVE_MAX_BYTES", 100 * 1024 * 1024))
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def process_response(self, request, response):
        if JOURNAL_FLAG in response.flags:  # answered from the response journal: archived when it was fetched
            return response
        try:
            self.write(request, response)
        except OSError as exc:  # a full disk must not stop the crawl; it is counted and logged
            self.crawler.stats.inc_value(f"archive/error/{type(exc).__name__}")
            LOGGER.error("cannot archive %s: %s", response.url, exc)
        return response

    def write(self, request, response) -> None:
        writer = self._current()
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body = response.body or b""
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items() if name.lower() not in _HOP_BY_HOP
            for value in values
        ]
        headers.append(("Content-Length", str(len(body))))
        reason = _REASONS.get(response.status, "")
        http = StatusAndHeaders(f"{response.status} {reason}".strip(), headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": now},
        )
        writer.write_record(self._request_record(writer, request, response.url, now, record))
        writer.write_record(record)
        self._handle.flush()
        self.crawler.stats.inc_value("archive/records", 2)
        if self._handle.tell() >= self.max_bytes:
            self._rotate()

    def _request_record(self, writer: WARCWriter, request, url: str, now: str, response_record):
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Host", parts.netloc)] + [
            (name.decode("latin-1"), value.decode("latin-1")) for name, values in request.headers.items() for value in values
        ]
        http = StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)
        concurrent = response_record.rec_headers.get_header("WARC-Record-ID")
        return writer.create_warc_record(
            url, "request", payload=io.BytesIO(request.body or b""), http_headers=http,
            warc_headers_dict={"WARC-Date": now, "WARC-Concurrent-To": concurrent},
        )

    def _current(self) -> WARCWriter:
        if self._writer is None:
            while True:
                self._n += 1
                path = self.directory / f"{PREFIX}{self._stamp}-{self._n:05d}{SUFFIX}"
                try:
                    self._handle = open(path, "xb")  # another crawl's file of the same second is never reused
                    break
                except FileExistsError:
                    continue
            self._writer = WARCWriter(self._handle, gzip=True)
            self.crawler.stats.inc_value("archive/files")
            LOGGER.info("archiving responses to %s", path)
        return self._writer

    def _rotate(self) -> None:
        if self._handle is not None:
            self._handle.close()
        self._handle = self._writer = None

    def close(self, spider=None, reason=None) -> None:
        self._rotate()


_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
            307: "Temporary Redirect", 308: "Permanent Redirect", 404: "Not Found", 410: "Gone",
            500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes | None  # decompressed; None when it was larger than the limit
    date: datetime  # WARC-Date: when it was fetched
    file: str
    record_id: str  # WARC-Record-ID
    offset: int = 0  # where the record starts in ``file`` (to read it again alone)


def archive_files(directory: str | os.PathLike) -> list[Path]:
    """The archive's WARC files, oldest first (names sort by time, then by rotation)."""
    path = Path(directory)
    return sorted(p for p in path.iterdir() if p.is_file() and p.name.endswith((".warc.gz", ".warc")))


def responses(directory: str | os.PathLike, *, max_bytes: int = 16 * 1024 * 1024, bodies: bool = True,
              only: set[str] | None = None) -> Iterator[ArchivedResponse]:
    """The archived responses, in archive order. ``bodies=False`` skips reading bodies (a fast scan);
    ``only`` restricts to the records with these WARC-Record-IDs."""
    for path in archive_files(directory):
        with open(path, "rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                if only is not None and record_id not in only:
                    continue
                body = read_body(record, max_bytes) if bodies else None
                yield ArchivedResponse(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status=int(record.http_headers.get_statuscode() or 0),
                    headers=list(record.http_headers.headers),
                    body=body,
                    date=_warc_date(record.rec_headers.get_header("WARC-Date")),
                    file=path.name,
                    record_id=record_id,
                    offset=records.get_record_offset(),
                )


def read_body(record, max_bytes: int) -> bytes | None:
    """A WARC record's HTTP body, or None past ``max_bytes``."""
    stream = record.content_stream()
    chunks, size = [], 0
    while size <= max_bytes:  # decompression stops past the limit: a gzip bomb is not inflated
        chunk = stream.read(min(1 << 20, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > max_bytes else b"".join(chunks)


def _warc_date(value: str | None) -> datetime:
    if not value:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
