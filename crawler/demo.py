"""``make demo``: serve the bundled blogs on 127.0.0.1, crawl them into a store, show what was stored.

Runs from a checkout: the blogs (fixtures/site/) and the server that serves them (tests/localsite.py,
the tests' web server) are not part of the installed package. The blogs are served on fixed ports
(``--port``, default ``$BLOGCRAWL_DEMO_PORT`` or 8741, then 8742...): the same sites every time, so a
second ``make demo`` is an incremental crawl of them and stores nothing new (and says so). The rows are
sorted by site, then publication date.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

from crawler.commands import CommandError, crawl
from pipelines.storage import articles
from pipelines.storage.store import Store

CHECKOUT = Path(__file__).resolve().parent.parent
SITES = CHECKOUT / "fixtures" / "site"
SERVER = CHECKOUT / "tests" / "localsite.py"
DEFAULT_PORT = 8741


def local_site_class():
    """``LocalSite`` of the checkout's tests/localsite.py."""
    if "localsite" not in sys.modules:
        spec = importlib.util.spec_from_file_location("localsite", SERVER)
        module = importlib.util.module_from_spec(spec)
        sys.modules["localsite"] = module
        spec.loader.exec_module(module)
    return sys.modules["localsite"].LocalSite


def rows(db_url: str) -> list:
    """The live articles, sorted by site, then publication date (undated last), then title."""
    store = Store(db_url)
    try:
        with store.sessions() as session:
            found = list(articles.live(session))
    finally:
        store.close()

    def key(article):
        published = article.published.replace(tzinfo=None) if article.published else datetime.max
        return (article.site, published, article.title or "")

    return sorted(found, key=key)


def show(db_url: str, out=None, new: int | None = None, archive: str | None = None) -> int:
    """Prints each site, then date, words, language and title of its stored articles, then totals;
    returns the article count."""
    out = out or sys.stdout  # the stream of the call, not of the import
    count = words = 0
    site = None
    for article in rows(db_url):
        if article.site != site:
            site = article.site
            print(f"\n{site}", file=out)
        n = len(article.text.split())
        date = article.published.date().isoformat() if article.published else "no date   "
        print(f"  {date}  {n:5d} words  [{article.language or '??'}]  {article.title}", file=out)
        count, words = count + 1, words + n
    this_run = "" if new is None else f" ({new} new in this run)"
    print(f"\n{count} articles, {words} words in {db_url}{this_run}", file=out)
    with_archive = f" --archive {archive}" if archive else ""
    print(f"See them in a browser: .venv/bin/blogcrawl serve --db {db_url}{with_archive}   then open http://127.0.0.1:8080/",
          file=out)
    return count


def port_arg(value) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65534:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}")
    return port


def new_in_last_run(db_url: str) -> int | None:
    from pipelines.storage import runs

    store = Store(db_url)
    try:
        with store.sessions() as session:
            latest = runs.recent(session, 1)
            return int((latest[0].stats or {}).get("storage/new", 0)) if latest else None
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///blogcrawl.sqlite3", help="the store (default: sqlite:///blogcrawl.sqlite3)")
    parser.add_argument("--archive", default="blogcrawl-archive",
                        help="keep the fetched pages as WARC here, for serve's removed-blocks view (default: blogcrawl-archive)")
    parser.add_argument(
        "--port", type=port_arg, default=os.environ.get("BLOGCRAWL_DEMO_PORT") or DEFAULT_PORT,
        help=f"port of the first blog, the next ones use port+1... (default: $BLOGCRAWL_DEMO_PORT or {DEFAULT_PORT})",
    )
    args = parser.parse_args(argv)
    try:
        port = port_arg(args.port)
    except argparse.ArgumentTypeError as exc:
        print(f"blogcrawl demo: error: BLOGCRAWL_DEMO_PORT: {exc}", file=sys.stderr)
        return 64
    if not SITES.is_dir() or not SERVER.is_file():
        print(f"blogcrawl demo: run it from a checkout (make demo): {SITES} or {SERVER} is missing", file=sys.stderr)
        return 64
    LocalSite = local_site_class()
    folders = [path for path in sorted(SITES.iterdir()) if path.is_dir()]
    with ExitStack() as stack:
        try:
            sites = [stack.enter_context(LocalSite(path, port=port + i)) for i, path in enumerate(folders)]
        except OSError as exc:
            print(f"blogcrawl demo: error: cannot serve on ports {port}-{port + len(folders) - 1}: {exc.strerror or exc} "
                  f"(another demo running? give --port or BLOGCRAWL_DEMO_PORT)", file=sys.stderr)
            return 69
        roots = [site.base_url for site in sites]
        print("serving the bundled blogs at", " ".join(roots), flush=True)
        try:
            status = crawl.run(crawl.build_args(roots, db=args.db, archive=args.archive))
        except CommandError as exc:
            print(f"blogcrawl: {exc}", file=sys.stderr)
            return exc.code
    if status != 0:
        return status
    return 0 if show(args.db, new=new_in_last_run(args.db), archive=args.archive) else 1


if __name__ == "__main__":
    sys.exit(main())
