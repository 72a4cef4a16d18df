"""``blogcrawl crawl ROOT_URL... [--db DB_URL] [--max-pages N]``: crawl sites into the store."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from crawler.commands import LOCKED, UNAVAILABLE, USAGE, checks
from crawler.commands.outcome import crawl_exit
from pipelines.storage.engine import StoreError, redact, resolve_db_url
from pipelines.storage.lock import CrawlLock, StoreLocked
from pipelines.storage.store import Store

LOGGER = logging.getLogger(__name__)


def add_parser(sub) -> None:
    parser = sub.add_parser("crawl", help="crawl sites (by their root URLs) into the store")
    parser.add_argument("roots", nargs="+", metavar="ROOT_URL", help="root URL of a site, e.g. https://blog.example/")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--max-pages", type=int, default=0, help="stop after fetching N pages (0: no limit)")
    parser.add_argument(
        "--js", choices=("auto", "always", "never"),
        help="render pages in a browser: auto (default) only pages whose article JavaScript writes, always, never",
    )
    parser.add_argument("--archive", metavar="DIR", help="write every fetched response to WARC files in DIR (blogcrawl reextract reads them)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    parser.add_argument(
        "--log-level", type=checks.log_level, metavar="LEVEL",
        help="DEBUG, INFO (Scrapy's own log), WARNING (the default: warnings that need a person, then a summary line), ERROR",
    )
    parser.add_argument("--log-file", metavar="FILE", help="append the crawl log to FILE instead of standard error")
    from crawler.fleet.command import add_fleet_arguments

    add_fleet_arguments(parser)  # --frontier REDIS_URL: seed a fleet crawl and work in it (blogcrawl worker joins)


def build_args(roots: list[str], **options) -> argparse.Namespace:
    """The arguments of ``blogcrawl crawl`` for use from code (the demo, tests)."""
    values = {"db": None, "max_pages": 0, "set": [], "log_level": None, "log_file": None, **options}
    return argparse.Namespace(roots=list(roots), **values)


def crawler_process(settings):
    """A CrawlerProcess whose log handler is the only one (the CLI's own handler would print each line twice)."""
    from scrapy.crawler import CrawlerProcess

    for handler in list(logging.root.handlers):
        logging.root.removeHandler(handler)
    return CrawlerProcess(settings)


def preflight(db_url: str, lock_class=CrawlLock) -> int | None:
    """Fails fast, with one line, when the store cannot be used or another crawl holds it (the spider
    takes the lock for real): the exit code, or None when the crawl may start."""
    try:
        Store(db_url).close()
        with lock_class(db_url):
            pass
    except StoreLocked as exc:
        print(f"blogcrawl: {exc}; not starting", file=sys.stderr)
        return LOCKED
    except StoreError as exc:
        print(f"blogcrawl: error: {exc}", file=sys.stderr)
        return UNAVAILABLE
    return None


def bad_roots(roots: list[str]) -> list[str]:
    return [r for r in roots if checks.root_problem(r)]


def crawl_settings(args):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    checks.check_crawl_args(args, settings)  # bad -s values, an unwritable log file or archive: one line, no traceback
    settings.set("BLOGCRAWL_DB", resolve_db_url(args.db), priority="cmdline")
    settings.set("BLOGCRAWL_MAX_PAGES", args.max_pages, priority="cmdline")
    if getattr(args, "archive", None):
        settings.set("BLOGCRAWL_ARCHIVE_DIR", args.archive, priority="cmdline")
    if getattr(args, "js", None):
        settings.set("BLOGCRAWL_JS", args.js, priority="cmdline")
    settings.set("LOG_LEVEL", checks.default_log_level(args), priority="cmdline")
    if getattr(args, "log_file", None):
        settings.set("LOG_FILE", args.log_file, priority="cmdline")
        settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run(args) -> int:
    checks.check_roots(args.roots)
    if getattr(args, "frontier", None):
        from crawler.fleet.command import run_fleet

        return run_fleet(args, seed=True)
    if args.max_pages < 0:
        print("blogcrawl: error: --max-pages must be 0 or more", file=sys.stderr)
        return USAGE
    db_url = resolve_db_url(args.db)
    settings = crawl_settings(args)  # checks the arguments before the store is touched
    refused = preflight(db_url)
    if refused is not None:
        return refused
    from crawler.spiders.blog import BlogSpider

    process = crawler_process(settings)
    crawler = process.create_crawler(BlogSpider)
    process.crawl(crawler, urls=args.roots)
    process.start()
    return crawl_exit(crawler, root_sites(args.roots), f"crawl of {redact(db_url)}", resumes=redact(db_url))


def root_sites(roots: list[str]) -> int:
    """How many sites the roots name (two blogs under paths of one host are one site)."""
    from crawler.urls import site_of

    return len({site_of(root) for root in roots})
