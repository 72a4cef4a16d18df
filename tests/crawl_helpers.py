"""Helpers for crawl tests: ``blogcrawl ARGS`` run in this process, or in a subprocess where the process is the point.

``blogcrawl("crawl", url, "--db", db_url)`` runs the real command (``crawler.cli.main``: argument
checks, preflight, exit codes) in the test process. Commands that start Scrapy (crawl, recrawl, a
fleet crawl) get an in-process stand-in for ``CrawlerProcess``: the crawl runs on the one Twisted
reactor of the test session (the asyncio reactor, installed by conftest.py, running in a background
thread), with the extraction pool off (``BLOGCRAWL_EXTRACT_WORKERS=0``) unless the test sets it.
The result looks like a finished subprocess: ``returncode``, ``stdout``, ``stderr`` (the command's
own lines, then the crawl log at the requested ``--log-level``), plus ``stats`` (the last crawl's).

``run_cli(capsys, ARGS)`` runs a command that starts no crawl through ``crawler.cli.main``, output read
with pytest's ``capsys``.

``blogcrawl_process`` runs ``python -m crawler.cli ARGS`` as a subprocess: for exit codes of the real
executable, kill -9, signals and locks held by another process.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
_INLINE_DEFAULTS = {"BLOGCRAWL_EXTRACT_WORKERS": 0}


@dataclass
class Result:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    stats: dict = field(default_factory=dict)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``blogcrawl ARGV`` in this process (``crawler.cli.main``) for a command
    that starts no crawl, read through pytest's ``capsys``; argparse's exits are caught."""
    from crawler import cli

    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def blogcrawl_process(*args: str, timeout: float = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs ``python -m crawler.cli ARGS`` from the repository in a subprocess and returns the finished process."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout,
    )


def blogcrawl(*args: str, timeout: float = 180, env: dict | None = None) -> Result:
    """Runs ``blogcrawl ARGS`` in this process (see the module docstring); ``timeout`` bounds each crawl."""
    from crawler.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, env or {}))
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        runs = stack.enter_context(scrapy_in_process(err, timeout))
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse errors
            code = exc.code if isinstance(exc.code, int) else 1
    stats = runs[-1].stats if runs else {}
    return Result(list(args), code, out.getvalue(), err.getvalue(), stats)


@contextlib.contextmanager
def scrapy_in_process(log_stream, timeout: float = 180):
    """Within: code that builds a ``CrawlerProcess`` gets an ``InProcessCrawlerProcess`` (yields the list of them)."""
    runs: list[InProcessCrawlerProcess] = []

    def process(settings, install_root_handler=True):
        runs.append(InProcessCrawlerProcess(settings, log_stream, timeout))
        return runs[-1]

    try:
        with mock.patch("scrapy.crawler.CrawlerProcess", process), mock.patch("scrapy.crawler.AsyncCrawlerProcess", process):
            yield runs
    finally:
        for run in runs:
            run.close_log()


def export_records(db_url: str) -> list[dict]:
    result = blogcrawl("export", "--db", db_url)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


# -- the session's reactor ---------------------------------------------------------------------------

_reactor_thread: threading.Thread | None = None
_reactor_lock = threading.Lock()


def session_reactor():
    """The installed Twisted reactor, running in a daemon thread (started on first use)."""
    global _reactor_thread
    from twisted.internet import reactor

    with _reactor_lock:
        if _reactor_thread is None:
            def run():
                import asyncio

                loop = getattr(reactor, "_asyncioEventloop", None)
                if loop is not None:
                    asyncio.set_event_loop(loop)
                reactor.run(installSignalHandlers=False)

            _reactor_thread = threading.Thread(target=run, name="twisted-reactor", daemon=True)
            _reactor_thread.start()
    return reactor


def stop_session_reactor() -> None:
    if _reactor_thread is not None:
        from twisted.internet import reactor

        reactor.callFromThread(reactor.stop)
        _reactor_thread.join(timeout=10)


class InProcessCrawlerProcess:
    """What the commands use of ``scrapy.crawler.CrawlerProcess`` (create_crawler, crawl, start), run on
    the session's reactor; its log goes to ``log_stream`` at the settings' LOG_LEVEL."""

    def __init__(self, settings, log_stream, timeout: float):
        from scrapy.crawler import CrawlerRunner
        from scrapy.settings import Settings

        settings = settings.copy() if isinstance(settings, Settings) else Settings(settings)
        for name, value in _INLINE_DEFAULTS.items():
            if settings.getpriority(name) is None or settings.getpriority(name) < 40:  # below -s (cmdline)
                settings.set(name, value, priority="cmdline")
        settings.set("TELNETCONSOLE_ENABLED", False, priority="cmdline")
        self.settings = settings
        self.timeout = timeout
        self._runner = CrawlerRunner(settings)
        self._pending: list[tuple] = []
        self._crawlers = []
        self._handler = self._log_handler(settings, log_stream)

    def _log_handler(self, settings, stream):
        log_file = settings.get("LOG_FILE")
        handler = (logging.FileHandler(log_file, encoding=settings.get("LOG_ENCODING") or "utf-8")
                   if log_file else logging.StreamHandler(stream))
        handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
        handler.setLevel(settings.get("LOG_LEVEL"))
        logging.root.addHandler(handler)
        self._root_level = logging.root.level
        if logging.root.getEffectiveLevel() > handler.level:
            logging.root.setLevel(handler.level)
        return handler

    def close_log(self) -> None:
        logging.root.removeHandler(self._handler)
        logging.root.setLevel(self._root_level)
        self._handler.close()

    @property
    def stats(self) -> dict:
        return dict(self._crawlers[-1].stats.get_stats()) if self._crawlers else {}

    def create_crawler(self, crawler_or_spidercls):
        crawler = self._runner.create_crawler(crawler_or_spidercls)
        self._crawlers.append(crawler)
        return crawler

    def crawl(self, crawler_or_spidercls, *args, **kwargs):
        if crawler_or_spidercls not in self._crawlers:
            crawler_or_spidercls = self.create_crawler(crawler_or_spidercls)
        self._pending.append((crawler_or_spidercls, args, kwargs))

    def start(self, *args, **kwargs) -> None:
        from twisted.internet import defer

        reactor = session_reactor()

        pending, self._pending = self._pending, []

        def run_all():
            return defer.DeferredList([self._runner.crawl(c, *a, **kw) for c, a, kw in pending], consumeErrors=True)

        outcomes = _blocking_call(reactor, run_all, self.timeout)
        for ok, failure in outcomes:
            if not ok:  # what CrawlerProcess logs: the crawl failed to start or crashed
                logging.getLogger("scrapy.crawler").error("crawl failed: %s", failure.getTraceback())


def _blocking_call(reactor, fn, timeout: float):
    """``threads.blockingCallFromThread`` with a deadline (a hung crawl fails the test instead of the suite)."""
    done = threading.Event()
    box: dict = {}

    def call():
        from twisted.internet import defer

        d = defer.maybeDeferred(fn)

        def finish(result):
            box["result"] = result
            done.set()

        d.addBoth(finish)

    reactor.callFromThread(call)
    if not done.wait(timeout):
        raise TimeoutError(f"in-process crawl still running after {timeout:g}s")
    result = box["result"]
    from twisted.python.failure import Failure

    if isinstance(result, Failure):
        result.raiseException()
    return result


def stored_articles(path: str | os.PathLike) -> int:
    """Articles in a SQLite store file, read directly (a poll must be quick), 0 before the schema exists."""
    if not Path(path).exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0
