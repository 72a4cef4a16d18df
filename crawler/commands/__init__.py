"""Subcommands of the ``blogcrawl`` CLI: each module has ``add_parser(subparsers)`` and ``run(args) -> int``."""

from contextlib import contextmanager
from pathlib import Path

# Exit codes (sysexits.h where one fits). The README's table and ``blogcrawl --help`` list the same.
OK = 0
FAILED = 1  # ran, but did not finish (interrupted, errors)
USAGE = 64  # bad arguments: a URL that is not http(s), an unknown option value, a path with nothing to work on
DATAERR = 65  # the input is corrupt: an unreadable WARC file, a fixture case that cannot be loaded
UNAVAILABLE = 69  # the store (or another service) cannot be reached, or there is no store at that path
SOFTWARE = 70  # a bug in blogcrawl: an unexpected error (run with -vv for the traceback)
CANTCREAT = 73  # an output file or folder cannot be written (export -o, --log-file, --archive, fixture save)
LOCKED = 75  # another crawl holds this store: try again later
INTERRUPTED = 130  # stopped by Ctrl-C (SIGINT) or SIGTERM; a crawl resumes where it stopped

EXIT_CODES = (
    (OK, "the command finished (crawl: also when some sites failed and others answered;\n"
         "       each failed site is named: blogcrawl: SITE failed: REASON)"),
    (FAILED, "crawl, worker: ran but did not finish, or every site failed; recrawl: the fetch\n"
             "       failed; replay: a case mismatched; history: no such article"),
    (3, "recrawl: the page is not an article (the store is unchanged)"),
    (USAGE, "bad arguments: a root URL that is not http(s), an unknown option or value,\n"
            "       a setting of the wrong type, a missing input file or folder"),
    (DATAERR, "the input is corrupt (a WARC file that cannot be read)"),
    (UNAVAILABLE, "the store cannot be used (unreachable, bad URL, missing driver), or a read\n"
                  "       command (export, runs, sites, history, db current) found no store there"),
    (SOFTWARE, "an unexpected error in blogcrawl: run with -vv for the traceback, report it"),
    (CANTCREAT, "an output file or folder cannot be written (-o, --log-file, --archive,\n"
                "       fixture save onto an existing case without --force)"),
    (LOCKED, "another crawl holds this store; try again later (cron: not an error)"),
    (INTERRUPTED, "interrupted (Ctrl-C, SIGTERM); the next crawl resumes where this one stopped"),
)


def exit_codes_text() -> str:
    return "exit codes:\n" + "\n".join(f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES)


class CommandError(Exception):
    """Ends a command with a one-line message on standard error and an exit code (``blogcrawl: <message>``)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


def sqlite_file(db_url: str) -> Path | None:
    """The database file of a SQLite store URL (None: another database, or an in-memory one)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError:
        return None
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return Path(url.database)


def require_store(db_url: str | None) -> None:
    """Read commands never create a store: ``CommandError(UNAVAILABLE)`` when a SQLite store's file is missing."""
    from pipelines.storage.engine import resolve_db_url

    path = sqlite_file(resolve_db_url(db_url))
    if path is not None and not path.is_file():
        raise CommandError(f"no store at {path} (blogcrawl crawl creates one; check --db or $BLOGCRAWL_DB)", UNAVAILABLE)


@contextmanager
def opened_store(db_url: str | None, *, must_exist: bool = False):
    """The store a command works on, closed after; ``CommandError(UNAVAILABLE)`` when it cannot be used
    (or, with ``must_exist``, when a SQLite store's file does not exist: read commands create nothing)."""
    from pipelines.storage.engine import StoreError
    from pipelines.storage.store import Store

    if must_exist:
        require_store(db_url)
    try:
        store = Store(db_url)
    except StoreError as exc:
        raise CommandError(f"error: {exc}", UNAVAILABLE) from None
    try:
        yield store
    finally:
        store.close()
