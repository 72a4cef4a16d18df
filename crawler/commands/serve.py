"""``blogcrawl serve [--db DB_URL] [--host 127.0.0.1] [--port 8080] [--archive DIR]``: a read-only web view
of the store (sites and their health, articles, what extraction removed, runs) and its JSON API."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from crawler.commands import OK, UNAVAILABLE, USAGE, CommandError


def add_parser(sub) -> None:
    parser = sub.add_parser("serve", help="browse the store in a web browser (read-only)")
    parser.add_argument("--db", help="SQLAlchemy URL of the store (default: $BLOGCRAWL_DB or sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument("--archive", metavar="DIR",
                        help="the crawl's WARC archive (crawl --archive DIR) or a fixtures folder: shows what was removed")


def make_app(db_url: str | None, archive: str | None = None):
    """The view over the store at ``db_url``, opened read-only; ``CommandError`` when it cannot be."""
    from pipelines.storage.engine import StoreError

    from crawler.serve.app import View, build_app
    from crawler.serve.rawpages import RawPages
    from crawler.serve.store import read_only_engine, read_only_sessions

    if archive is not None and not Path(archive).is_dir():
        raise CommandError(f"error: --archive {archive}: not a directory", USAGE)
    try:
        engine = read_only_engine(db_url)
    except StoreError as exc:
        raise CommandError(f"error: {exc}", UNAVAILABLE) from None
    return build_app(View(read_only_sessions(engine), RawPages(archive) if archive else None))


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one); ``CommandError`` when it cannot be had."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise CommandError(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", UNAVAILABLE) from None
    sock.listen(128)
    return sock


def serve(app, sock: socket.socket) -> None:
    """Serves ``app`` on ``sock`` until interrupted."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


def run(args) -> int:
    app = make_app(args.db, args.archive)
    sock = listen(args.host, args.port)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"blogcrawl serve: http://{shown}:{port}/ (read-only; Ctrl-C stops it)", file=sys.stderr, flush=True)
    with sock:
        serve(app, sock)
    return OK
