"""``blogcrawl recrawl URL [--db DB_URL]``: fetch one URL now, re-extract, store (``ArticleWriter``, as the crawl does), say what happened.

The first line printed starts with ``new``, ``changed`` (and a short summary), ``unchanged``, ``gone`` or
``duplicate`` (the same body is stored under another URL: this URL is recorded as its alias).
When the fetch fails the command exits non-zero with the reason and the store is left as it was.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from crawler.commands import FAILED, LOCKED, OK, USAGE, CommandError, checks, opened_store
from crawler.commands.crawl import crawl_settings, crawler_process
from crawler.extraction import extract
from crawler.snapshots import article_item, snapshot_of, utcnow
from crawler.urls import canonicalize, is_http_url
from pipelines.storage import articles
from pipelines.storage.engine import resolve_db_url
from pipelines.storage.lock import CrawlLock, StoreLocked
from pipelines.storage.store import Store
from pipelines.writer import ArticleWriter, WriterSettings

NOT_ARTICLE = 3


def add_parser(sub) -> None:
    parser = sub.add_parser("recrawl", help="fetch one URL now, re-extract it and update the store")
    parser.add_argument("url", metavar="URL", help="the page to fetch (http or https)")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    parser.add_argument("--log-level", type=checks.log_level, metavar="LEVEL", help="Scrapy log level (default WARNING; INFO shows Scrapy's own log)")


def fetch(url: str, args):
    """The final response (200, or 404/410) or ``(None, reason)``, fetched with the crawl's settings."""
    from crawler.spiders.fetch_one import FetchOneSpider

    args.max_pages = 0
    settings = crawl_settings(args)
    process = crawler_process(settings)
    crawler = process.create_crawler(FetchOneSpider)
    process.crawl(crawler, url=url)
    process.start()
    spider = crawler.spider
    if spider.response is None:
        return None, spider.failure_reason or crawler.stats.get_value("finish_reason") or "no response"
    return spider.response, None


def run(args) -> int:
    if not is_http_url(args.url):
        print(f"blogcrawl: error: not an http(s) URL: {args.url}", file=sys.stderr)
        return USAGE
    with opened_store(resolve_db_url(args.db)) as store, _locked(store.db_url):
        response, reason = fetch(args.url, args)
        if response is None:
            raise CommandError(f"fetch failed: {args.url}: {reason}; the store is unchanged", FAILED)
        if response.status in (404, 410):
            return _gone(store, args.url, response)
        return _store(store, response, crawl_settings(args))


@contextmanager
def _locked(db_url: str):
    """The store's crawl lock for the recrawl (exit 75 while a crawl holds it)."""
    try:
        lock = CrawlLock(db_url).acquire()
    except StoreLocked as exc:
        raise CommandError(f"{exc}; not starting", LOCKED) from None
    try:
        yield
    finally:
        lock.release()


def _gone(store: Store, url: str, response) -> int:
    with store.begin() as session:
        was_live = articles.mark_gone(session, canonicalize(url), utcnow())
    print(f"gone HTTP {response.status}" + ("" if was_live else " (no live article was stored)"))
    return OK


def _store(store: Store, response, settings) -> int:
    extracted = extract(snapshot_of(response))
    if not extracted.is_article or extracted.noindex:
        print(f"blogcrawl: {response.url} is not an article ({extracted.reason or 'noindex'}); the store is unchanged", file=sys.stderr)
        return NOT_ARTICLE
    item = article_item(extracted, response)
    item.frontier_keys = [canonicalize(response.url)]  # its frontier row, when the URL was crawled before
    writer = ArticleWriter(WriterSettings.from_settings(settings))
    with store.begin() as session:
        written = writer.write(session, item, explain=True)
    if written.dropped is not None:
        print(f"duplicate\t{written.item.url}\t{written.dropped}")
        return OK
    line = written.outcome if written.outcome != articles.CHANGED else f"changed: {written.change}"
    print(f"{line}\t{written.item.url}\t{written.item.title or ''}")
    return OK
