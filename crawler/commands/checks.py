"""Checks of a crawl's arguments before Scrapy starts, so that bad input ends with one line and an exit
code (``CommandError``) instead of a traceback from deep inside the crawl."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from crawler.commands import CANTCREAT, USAGE, CommandError

LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def log_level(value: str) -> str:
    """argparse type of ``--log-level``: a logging level name, any case."""
    level = value.strip().upper()
    if level not in LEVELS:
        raise argparse.ArgumentTypeError(f"unknown log level {value!r} (choose from {', '.join(LEVELS)})")
    return level


def root_problem(url: str) -> str | None:
    """Why ``url`` cannot be a root URL to crawl, or None when it can."""
    try:
        parts = urlsplit(url)
        parts.port  # raises on a port out of range or not a number
    except ValueError as exc:
        return f"bad root URL {url}: {exc}"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"not an http(s) root URL: {url}"
    return None


def check_roots(roots: list[str]) -> None:
    for root in roots:
        problem = root_problem(root)
        if problem:
            raise CommandError(f"error: {problem}", USAGE)


def setting_value(name: str, value: str, default):
    """``value`` (a ``-s NAME=VALUE`` string) checked against the type of the setting's default value;
    raises ``ValueError`` with the reason when Scrapy or blogcrawl could not use it."""
    if name == "BLOGCRAWL_NOW":  # the run's clock (crawler/frontier/recheck.py)
        from crawler.frontier.recheck import parse_now

        try:
            parse_now(value)
        except ValueError:
            raise ValueError("expected an ISO 8601 time, e.g. 2026-01-31T06:00:00+00:00") from None
    elif isinstance(default, bool):
        if value.strip().lower() not in ("0", "1", "true", "false"):
            raise ValueError("expected True or False (or 1/0)")
    elif isinstance(default, int):
        try:
            int(value)
        except ValueError:
            raise ValueError("expected a whole number") from None
    elif isinstance(default, float):
        try:
            float(value)
        except ValueError:
            raise ValueError("expected a number") from None
    elif isinstance(default, dict) or hasattr(default, "copy_to_dict"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"expected a JSON object ({exc.msg})") from None
        if not isinstance(parsed, dict):
            raise ValueError("expected a JSON object")
    return value


def check_settings(pairs: list[str], settings) -> None:
    """Each ``-s NAME=VALUE``: of that form, with a value of the setting's type."""
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise CommandError(f"error: -s takes NAME=VALUE, not {pair!r}", USAGE)
        default = settings.get(name)
        try:
            setting_value(name, value, default)
        except ValueError as exc:
            raise CommandError(f"error: bad value for setting {name}: {value!r}: {exc}", USAGE) from None


def check_log_file(path: str | None) -> None:
    """``--log-file``: its folder exists and the file can be appended to (cron mails this line, not a traceback)."""
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise CommandError(f"error: cannot write the log file {path}: {exc.strerror or exc}", CANTCREAT) from None


def check_output_dir(path: str | None, what: str) -> None:
    """A folder the crawl writes into: created if missing, and writable."""
    if not path:
        return
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not folder.is_dir():
            raise NotADirectoryError(f"not a folder: {path}")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(f"permission denied: {path}")
        probe = folder / f".blogcrawl-write-test-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CommandError(f"error: cannot write {what} to {path}: {reason}", CANTCREAT) from None


def check_crawl_args(args, settings) -> None:
    """Everything of a crawl, recrawl or worker command line that Scrapy would only reject with a traceback."""
    check_settings(list(getattr(args, "set", None) or []), settings)
    check_log_file(getattr(args, "log_file", None))
    check_output_dir(getattr(args, "archive", None), "the archive")


def default_log_level(args) -> str:
    """The crawl's log level: ``--log-level``, else ``-v`` (INFO) / ``-vv`` (DEBUG), else WARNING."""
    if getattr(args, "log_level", None):
        return args.log_level
    verbose = getattr(args, "verbose", 0) or 0
    return ("WARNING", "INFO", "DEBUG")[min(verbose, 2)]



def warc_problem(path: Path) -> str | None:
    """Why ``path`` is not a readable WARC file (it must open as gzip when named .gz and start with a
    WARC record), or None. Only the start is read: cheap on a 100 MB file."""
    import gzip
    import zlib

    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                start = handle.read(8)
        else:
            with open(path, "rb") as handle:
                start = handle.read(8)
    except (OSError, EOFError, zlib.error) as exc:
        return f"{path.name}: {exc}"
    if not start.startswith(b"WARC/"):
        return f"{path.name}: not a WARC file"
    return None


def check_archive(files) -> None:
    """``CommandError(DATAERR)`` naming the first archive file that is not a WARC file."""
    from crawler.commands import DATAERR

    for path in files:
        problem = warc_problem(Path(path))
        if problem:
            raise CommandError(f"error: cannot read the archive: {problem}", DATAERR)
