"""``blogcrawl reextract --archive DIR [--db DB_URL]``: rebuild the articles from a WARC archive.

Every archived page is extracted again with the current extractor and stored through the crawl's own
``ArticleWriter`` (normalise, dedup, boilerplate, near-duplicate, store; the crawl's settings), with no network. For each URL only its
latest archived answer counts (a 200 page is re-extracted, a 404/410 marks the article gone). Prints
how many articles are new, changed and unchanged.
"""

from __future__ import annotations

import sys
import zlib
from collections import Counter
from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request
from warcio.exceptions import ArchiveLoadFailed

from crawler.archive import archive_files, responses
from crawler.commands import DATAERR, FAILED, OK, USAGE, CommandError, checks, opened_store
from crawler.extraction import extract
from crawler.snapshots import article_item, declared_canonical, snapshot_of
from crawler.urls import canonicalize, looks_like_listing, site_of
from pipelines.storage import articles
from pipelines.storage.engine import resolve_db_url
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter, WriterSettings

HTML_TYPES = ("text/html", "application/xhtml+xml")
OUTCOMES = (articles.NEW, articles.CHANGED, articles.UNCHANGED)


def add_parser(sub) -> None:
    parser = sub.add_parser("reextract", help="rebuild the articles from a WARC archive (crawl --archive) with the current extractor")
    parser.add_argument("--archive", required=True, metavar="DIR", help="directory of the WARC files")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--max-bytes", type=int, default=16 * 1024 * 1024, help="skip bodies larger than this (decompressed)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a crawl setting (BLOGCRAWL_BOILERPLATE_*, BLOGCRAWL_NEARDUP)")


def run(args) -> int:
    try:
        files = archive_files(args.archive)
    except OSError as exc:
        print(f"blogcrawl: error: cannot read the archive {args.archive}: {exc}", file=sys.stderr)
        return USAGE
    if not files:
        print(f"blogcrawl: error: no WARC files in {args.archive}", file=sys.stderr)
        return USAGE
    checks.check_archive(files)  # a corrupt file: one line, exit 65
    with opened_store(resolve_db_url(args.db)) as store:
        try:
            stats = rebuild(store, args.archive, max_bytes=args.max_bytes, settings=_settings(args))
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error) as exc:  # a corrupt or truncated WARC file
            raise CommandError(f"error: cannot read the archive {args.archive}: {type(exc).__name__}: {exc}", DATAERR) from None
    counts = " ".join(f"{name}={stats[f'storage/{name}']}" for name in OUTCOMES)
    others = {k: v for k, v in sorted(stats.items()) if k.startswith(("dedup/", "reextract/"))}
    print(f"{counts} gone={stats['reextract/gone']} " + " ".join(f"{k}={v}" for k, v in others.items() if k != "reextract/gone"))
    return FAILED if stats["reextract/error"] else OK


def _settings(args):
    """The crawl's settings (``crawler.settings`` and ``-s``): the writer's thresholds are the crawl's."""
    from crawler.commands.crawl import crawl_settings

    return crawl_settings(SimpleNamespace(db=args.db, max_pages=0, set=getattr(args, "set", []), log_level="WARNING"))


def rebuild(store: Store, directory, *, max_bytes: int, settings=None) -> Counter:
    """Re-extracts the latest archived answer of each URL into the store; returns the counters."""
    latest: dict[str, str] = {}  # URL -> WARC-Record-ID of its latest answer
    sites = set()
    for found in responses(directory, bodies=False, max_bytes=max_bytes):
        if found.status == 200 or found.status in (404, 410):
            latest[found.url] = found.record_id  # archive order: a later answer wins
        if found.status == 200:
            sites.add(site_of(found.url))
    stats: Counter = Counter()
    writer = ArticleWriter(WriterSettings.from_settings(settings))
    for archived in responses(directory, max_bytes=max_bytes, only=set(latest.values())):
        try:
            _one(archived, store, writer, sites, stats)
        except Exception as exc:  # one bad record never stops the rebuild
            stats["reextract/error"] += 1
            print(f"blogcrawl: {archived.url}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return stats


def _one(archived, store: Store, writer: ArticleWriter, sites: set[str], stats: Counter) -> None:
    if archived.status in (404, 410):
        with store.begin() as session:
            if articles.mark_gone(session, canonicalize(archived.url), archived.date):
                stats["reextract/gone"] += 1
        return
    content_type = next((v for k, v in archived.headers if k.lower() == "content-type"), "")
    if archived.body is None or (content_type and content_type.split(";")[0].strip().lower() not in HTML_TYPES):
        stats["reextract/skipped"] += 1
        return
    if looks_like_listing(archived.url):
        return
    response = HtmlResponse(
        archived.url, status=200, headers=[(k, v) for k, v in archived.headers if k.lower() != "content-encoding"],
        body=archived.body, request=Request(archived.url),
    )
    extracted = extract(snapshot_of(response))
    if not extracted.is_article or extracted.noindex:
        return
    canonical = declared_canonical(response)
    if canonical and site_of(canonical) in sites and canonicalize(canonical) != canonicalize(archived.url):
        stats["dedup/canonical_elsewhere"] += 1  # the page it names is the one stored (as in the crawl)
        return
    item = article_item(extracted, response)
    item.fetched_at = archived.date
    with store.begin() as session:
        written = writer.write(session, item)
    stats.update(written.stats)
    if written.dropped is not None:
        stats["reextract/dropped"] += 1
