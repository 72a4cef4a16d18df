"""The fleet side of ``blogcrawl crawl ROOT... --frontier URL`` and ``blogcrawl worker --frontier URL``."""

from __future__ import annotations

import json
import sys
import time
from urllib.parse import urlsplit

from crawler.commands import OK, UNAVAILABLE, USAGE

REDIS_SCHEMES = ("redis", "rediss", "unix")


def add_fleet_arguments(parser, *, required: bool = False) -> None:
    parser.add_argument(
        "--frontier", metavar="REDIS_URL", required=required,
        help="share the crawl with other processes through this Redis (redis://host:6379/0): a fleet crawl",
    )
    parser.add_argument(
        "--name", help="the fleet's name: its Redis keys are blogcrawl:NAME:* (default: derived from --db)",
    )
    parser.add_argument(
        "--idle-timeout", type=float, metavar="SECONDS",
        help="with --frontier: exit once the shared frontier is empty and nothing is in flight for this long (default 10)",
    )


def redact_redis(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def open_frontier(redis_url: str, db_url: str, name: str | None):
    """The fleet's frontier handle (Redis pinged), or raises ``FrontierUnavailable``."""
    from crawler.fleet.frontier import RedisFrontier, default_fleet_name, fleet_prefix

    prefix = fleet_prefix(name or default_fleet_name(db_url))
    try:
        frontier = RedisFrontier.from_url(redis_url, prefix)
        frontier.server.ping()
    except Exception as exc:  # redis.RedisError, a bad URL
        raise FrontierUnavailable(f"frontier {redact_redis(redis_url)} unreachable: {exc}") from None
    return frontier


class FrontierUnavailable(Exception):
    """Redis cannot be reached."""


def wait_for_crawl(frontier, wait: float) -> list[str] | None:
    """The roots of the fleet's running crawl, waiting up to ``wait`` seconds for a seeder to start one."""
    deadline = time.monotonic() + wait
    while True:
        meta = frontier.meta()
        if meta.get("state") == "running" and meta["roots"]:
            return meta["roots"]
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)


def run_fleet(args, *, seed: bool) -> int:
    from crawler.commands.crawl import crawl_settings, crawler_process, preflight
    from crawler.fleet.lock import SharedCrawlLock
    from pipelines.storage.engine import redact, resolve_db_url

    if urlsplit(args.frontier).scheme not in REDIS_SCHEMES:
        print(f"blogcrawl: error: --frontier must be a redis:// URL: {redact_redis(args.frontier)}", file=sys.stderr)
        return USAGE
    if getattr(args, "max_pages", 0):
        print("blogcrawl: error: --max-pages does not apply to a fleet crawl (--frontier)", file=sys.stderr)
        return USAGE
    db_url = resolve_db_url(args.db)
    try:
        frontier = open_frontier(args.frontier, db_url, args.name)
    except (FrontierUnavailable, ValueError) as exc:
        print(f"blogcrawl: error: {exc}", file=sys.stderr)
        return UNAVAILABLE
    if getattr(args, "status", False):
        print(json.dumps(frontier.status(), indent=2, sort_keys=True))
        return OK
    refused = preflight(db_url, SharedCrawlLock)
    if refused is not None:
        return refused
    from crawler.spiders.fleet import FleetSpider  # imported before waiting: a worker joins at once

    settings = crawl_settings(_with_defaults(args))
    roots = list(args.roots) if seed else None
    if not seed:
        if frontier.meta().get("state") != "running":
            print(f"blogcrawl: waiting up to {args.wait:g}s for a crawl in {frontier.keys.prefix}", file=sys.stderr, flush=True)
        roots = wait_for_crawl(frontier, args.wait)
    if not roots:
        print(f"blogcrawl: no crawl running in {frontier.keys.prefix}; nothing to do", file=sys.stderr)
        return OK
    settings.set("REDIS_URL", args.frontier, priority="cmdline")
    settings.set("BLOGCRAWL_FLEET_PREFIX", frontier.keys.prefix, priority="cmdline")
    if args.idle_timeout is not None:
        settings.set("BLOGCRAWL_FLEET_IDLE_TIMEOUT", args.idle_timeout, priority="cmdline")
    process = crawler_process(settings)
    crawler = process.create_crawler(FleetSpider)
    process.crawl(crawler, urls=roots, seed=seed)
    process.start()
    from crawler.commands.crawl import root_sites
    from crawler.commands.outcome import crawl_exit

    return crawl_exit(crawler, root_sites(roots), f"fleet crawl of {redact(db_url)}")

def _with_defaults(args):
    for name, value in (("max_pages", 0), ("set", []), ("log_level", None), ("log_file", None)):
        if not hasattr(args, name):
            setattr(args, name, value)
    return args
