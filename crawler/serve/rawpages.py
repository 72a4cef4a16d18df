"""An article's raw page, when one is at hand: the latest archived 200 answer for one of its URLs in a
WARC archive (``crawl --archive DIR``, read with ``crawler.archive``), or a fixture case
(``<dir>/<site>/<case>/page.html.gz`` + ``meta.json``) whose URL is one of them."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from crawler.archive import archive_files, read_body, responses
from crawler.extraction.cases import META, load_snapshot
from crawler.items import PageSnapshot

HTML_TYPES = ("text/html", "application/xhtml+xml")


class RawPages:
    """Looks up raw pages by URL in ``directory`` (WARC files, or fixture cases)."""

    def __init__(self, directory: str | Path, *, max_bytes: int = 16 * 1024 * 1024):
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._files: tuple = ()
        self._records: dict[str, tuple[Path, int]] = {}  # URL -> (WARC file, offset) of its latest 200 HTML answer
        self._cases: dict[str, Path] = {url: case for url, case in _cases(self.directory)}

    def snapshot(self, urls: list[str]) -> PageSnapshot | None:
        """The page as it was fetched, for the first of ``urls`` found."""
        for url in urls:
            if url in self._cases:
                return load_snapshot(self._cases[url])
        records = self._index()
        for url in urls:
            if url in records:
                return self._read(records[url])
        return None

    def _index(self) -> dict[str, tuple[Path, int]]:
        """The archive index, read again when the archive's files changed (a crawl still writing it)."""
        files = tuple((p.name, p.stat().st_size) for p in archive_files(self.directory))
        with self._lock:
            if files != self._files:
                self._records = dict(_archived_pages(self.directory))
                self._files = files
            return self._records

    def _read(self, where: tuple[Path, int]) -> PageSnapshot | None:
        """The response record at (file, offset), as the crawl's extraction saw it."""
        from scrapy.http import HtmlResponse, Request

        from crawler.snapshots import snapshot_of

        path, offset = where
        with open(path, "rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)), None)
            if record is None or record.http_headers is None:
                return None
            url = record.rec_headers.get_header("WARC-Target-URI")
            body = read_body(record, self.max_bytes)
            if body is None:
                return None
            headers = [(k, v) for k, v in record.http_headers.headers if k.lower() != "content-encoding"]
        return snapshot_of(HtmlResponse(url, status=200, headers=headers, body=body, request=Request(url)))


def _archived_pages(directory: Path):
    """(URL, (file, offset)) of every 200 HTML response record, in archive order (a later answer wins)."""
    for record in responses(directory, bodies=False):
        if record.status == 200 and _is_html(record.headers):
            yield record.url, (directory / record.file, record.offset)


def _is_html(headers) -> bool:
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    return not content_type or content_type.split(";")[0].strip().lower() in HTML_TYPES


def _cases(directory: Path):
    for meta in sorted(directory.glob(f"*/*/{META}")):
        try:
            url = json.loads(meta.read_text(encoding="utf-8"))["url"]
        except (OSError, ValueError, KeyError):
            continue
        if (meta.parent / "page.html.gz").exists():
            yield url, meta.parent
