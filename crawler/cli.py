"""``blogcrawl``: the command line. Each subcommand lives in ``crawler.commands.<name>``.

Every failure ends with one line on standard error (``blogcrawl: ...``) and an exit code from the table
in ``crawler.commands`` (``blogcrawl --help`` and the README list it); never with a traceback, except
under ``-vv``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from crawler.commands import INTERRUPTED, SOFTWARE, USAGE, exit_codes_text

COMMANDS = (
    "crawl", "recrawl", "sites", "export", "history", "runs", "extract", "replay", "fixture", "db", "reextract", "worker",
    "serve",
)
CRAWLING = ("crawl", "recrawl", "worker")  # commands whose log is Scrapy's (-v / --log-level)


class Parser(argparse.ArgumentParser):
    """Bad arguments exit 64 (EX_USAGE), as the README says, not argparse's 2."""

    def error(self, message: str):
        self.exit(USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("blogcrawl")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="blogcrawl",
        description="Crawl blogs and news sites into a store of clean articles (title, author, dates, language, text).",
        epilog=exit_codes_text() + "\n\nblogcrawl COMMAND --help describes each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"blogcrawl {version()}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging: -v INFO (Scrapy's own log for crawls), -vv DEBUG")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"crawler.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"crawler.commands.{name}":
                raise
            continue
        known = set(sub.choices)
        module.add_parser(sub)
        helps = {action.dest: action.help for action in sub._choices_actions}
        for added in set(sub.choices) - known:
            command = sub.choices[added]
            command.set_defaults(run=module.run)
            if command.description is None and helps.get(added):  # `blogcrawl X --help` says what X does
                command.description = helps[added][0].upper() + helps[added][1:] + "."
            if added in CRAWLING:
                command.add_argument(
                    "-v", "--verbose", action="count", default=argparse.SUPPRESS,
                    help="more logging: -v shows Scrapy's own log (INFO), -vv DEBUG",
                )
            if added == "crawl":
                command.epilog = exit_codes_text()
                command.formatter_class = argparse.RawDescriptionHelpFormatter
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
        return INTERRUPTED
    except BrokenPipeError:  # `blogcrawl export | head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except Exception as exc:  # a bug: one line (the traceback with -vv)
        if args.verbose >= 2:
            raise
        print(f"blogcrawl: unexpected error: {type(exc).__name__}: {exc} (run with -vv for the traceback)", file=sys.stderr)
        return SOFTWARE


def _quiet_stdout() -> None:
    """No second BrokenPipeError when Python flushes standard output at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
