"""``blogcrawl worker --frontier REDIS_URL [--db DB_URL]``: join a fleet crawl from any machine.

The roots, the queue and the seen URLs come from the frontier (seeded by ``blogcrawl crawl ROOT...
--frontier REDIS_URL``); the worker exits 0 once the frontier is drained and nothing is in flight.
``--status`` prints the frontier's state (queued, in flight, seen, workers) as JSON and exits.
"""

from __future__ import annotations

from crawler.commands import checks
from crawler.fleet.command import add_fleet_arguments, run_fleet


def add_parser(sub) -> None:
    parser = sub.add_parser("worker", help="join a fleet crawl (its frontier in Redis) and work until it is drained")
    add_fleet_arguments(parser, required=True)
    parser.add_argument("--db", help="SQLAlchemy URL of the shared store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument(
        "--wait", type=float, default=60.0, metavar="SECONDS",
        help="how long to wait for a seeder (blogcrawl crawl --frontier) to start a crawl (default 60)",
    )
    parser.add_argument("--status", action="store_true", help="print the frontier's state as JSON and exit")
    parser.add_argument(
        "--js", choices=("auto", "always", "never"),
        help="render pages in a browser: auto (default) only pages whose article JavaScript writes, always, never",
    )
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    parser.add_argument(
        "--log-level", type=checks.log_level, metavar="LEVEL",
        help="DEBUG, INFO (Scrapy's own log), WARNING (the default: warnings that need a person, then a summary line), ERROR",
    )
    parser.add_argument("--log-file", metavar="FILE", help="append the crawl log to FILE instead of standard error")


def run(args) -> int:
    return run_fleet(args, seed=False)
