"""Subcommands of the ``blogcrawl`` CLI: each module has ``add_parser(subparsers)`` and ``run(args) -> int``."""

from contextlib import contextmanager

# Exit codes (sysexits.h where one fits).
OK = 0
FAILED = 1  # ran, but did not finish (interrupted, errors)
USAGE = 64  # bad arguments: a URL that is not http(s), an unknown option value
UNAVAILABLE = 69  # the store (or another service) cannot be reached
LOCKED = 75  # another crawl holds this store: try again later


class CommandError(Exception):
    """Ends a command with a one-line message on standard error and an exit code (``blogcrawl: <message>``)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@contextmanager
def opened_store(db_url: str | None):
    """The store a command works on, closed after; ``CommandError(UNAVAILABLE)`` when it cannot be used."""
    from pipelines.storage.engine import StoreError
    from pipelines.storage.store import Store

    try:
        store = Store(db_url)
    except StoreError as exc:
        raise CommandError(f"error: {exc}", UNAVAILABLE) from None
    try:
        yield store
    finally:
        store.close()
