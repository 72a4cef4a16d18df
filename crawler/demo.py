"""``make demo``: serve the bundled blogs on 127.0.0.1, crawl them into a store, show what was stored.

Runs from a checkout: the blogs (fixtures/site/) and the server that serves them (tests/localsite.py,
the tests' web server) are not part of the installed package.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from contextlib import ExitStack
from pathlib import Path

from crawler.commands import crawl
from pipelines.storage import articles
from pipelines.storage.store import Store

CHECKOUT = Path(__file__).resolve().parent.parent
SITES = CHECKOUT / "fixtures" / "site"
SERVER = CHECKOUT / "tests" / "localsite.py"


def local_site_class():
    """``LocalSite`` of the checkout's tests/localsite.py."""
    if "localsite" not in sys.modules:
        spec = importlib.util.spec_from_file_location("localsite", SERVER)
        module = importlib.util.module_from_spec(spec)
        sys.modules["localsite"] = module
        spec.loader.exec_module(module)
    return sys.modules["localsite"].LocalSite


def show(db_url: str, out=None) -> int:
    """Prints title, date and words of every stored article, then totals; returns the article count."""
    out = out or sys.stdout  # the stream of the call, not of the import
    store = Store(db_url)
    count = words = 0
    try:
        with store.sessions() as session:
            for article in articles.live(session):
                n = len(article.text.split())
                date = article.published.date().isoformat() if article.published else "no date   "
                print(f"{date}  {n:5d} words  [{article.language or '??'}]  {article.title}", file=out)
                count, words = count + 1, words + n
    finally:
        store.close()
    print(f"\n{count} articles, {words} words in {db_url}", file=out)
    print(f"See them in a browser: .venv/bin/blogcrawl serve --db {db_url}   then open http://127.0.0.1:8080/", file=out)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite:///blogcrawl.sqlite3")
    args = parser.parse_args(argv)
    if not SITES.is_dir() or not SERVER.is_file():
        print(f"blogcrawl demo: run it from a checkout (make demo): {SITES} or {SERVER} is missing", file=sys.stderr)
        return 64
    LocalSite = local_site_class()
    with ExitStack() as stack:
        sites = [stack.enter_context(LocalSite(path)) for path in sorted(SITES.iterdir()) if path.is_dir()]
        roots = [site.base_url for site in sites]
        print("serving the bundled blogs at", " ".join(roots), flush=True)
        crawl_args = crawl.build_args(roots, db=args.db, log_level="WARNING")
        status = crawl.run(crawl_args)
    if status != 0:
        return status
    return 0 if show(args.db) else 1


if __name__ == "__main__":
    sys.exit(main())
