"""Subcommands of the ``blogcrawl`` CLI: each module has ``add_parser(subparsers)`` and ``run(args) -> int``."""

# Exit codes (sysexits.h where one fits).
OK = 0
FAILED = 1  # ran, but did not finish (interrupted, errors)
USAGE = 64  # bad arguments: a URL that is not http(s), an unknown option value
UNAVAILABLE = 69  # the store (or another service) cannot be reached
LOCKED = 75  # another crawl holds this store: try again later
