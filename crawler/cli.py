"""``blogcrawl``: the command line. Each subcommand lives in ``crawler.commands.<name>``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMANDS = ("crawl", "recrawl", "export", "history", "runs", "extract", "replay", "fixture", "db", "reextract", "worker",
            "serve")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="blogcrawl", description="Crawl blogs into a store of clean articles.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"crawler.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"crawler.commands.{name}":
                raise
            continue
        known = set(sub.choices)
        module.add_parser(sub)
        for added in set(sub.choices) - known:
            sub.choices[added].set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(args.verbose, 2)]
    logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    from crawler.commands import CommandError

    try:
        return args.run(args)
    except CommandError as exc:
        print(f"blogcrawl: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("blogcrawl: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
