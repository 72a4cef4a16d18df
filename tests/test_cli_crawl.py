"""A crawl as cron and as a person at a terminal see it: silence on a clean run without a terminal and a
live progress line on one (the real executable: the terminal and the process's output are the point), one
line per error, no password in the log, no remote-control server (in this process), Scrapy's own
``scrapy crawl`` command with -O feeds that carry the export's fields (one subprocess, two feeds)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs crawls (make check leaves them out)

from crawl_helpers import blogcrawl as blogcrawl_here
from localsite import LocalSite

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "fixtures" / "site" / "en"
EXPORT_FIELDS = ["url", "site", "title", "author", "published", "modified", "language", "text", "fetched_at", "content_hash", "kind"]


def env(home: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(home), "BLOGCRAWL_DB": ""}


def blogcrawl(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=REPO, env=env(home), capture_output=True, text=True,
        timeout=300, stdin=subprocess.DEVNULL,
    )


def here_env(home: Path) -> dict:
    return {"HOME": str(home), "BLOGCRAWL_DB": ""}


@pytest.fixture()
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


def test_a_clean_crawl_without_a_terminal_prints_nothing(site_en, tmp_path, home):
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = blogcrawl(home, "crawl", site_en.base_url, "--db", db)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
    assert list(home.iterdir()) == [], "the crawl wrote under the home folder (remote-control token?)"
    runs = blogcrawl_here("runs", "--db", db, "--json", env=here_env(home))
    assert json.loads(runs.stdout)["new"] > 0  # it did crawl


def test_verbose_shows_scrapys_log_and_the_summary_without_remote_control(site_en, tmp_path, home):
    result = blogcrawl_here("crawl", site_en.base_url, "--db", f"sqlite:///{tmp_path / 's.db'}", "-v", env=here_env(home))
    assert result.returncode == 0, result.stderr
    assert "[scrapy.core.engine] INFO: Spider opened" in result.stderr
    assert re.search(r"crawl summary: 1 site, \d+ pages fetched, \d+ new, 0 changed, 0 unchanged, \d+ gone, 0 errors in \d+s", result.stderr)
    enabled = result.stderr.split("Enabled extensions:", 1)[1].split("]", 1)[0]
    assert "scrapy.extensions.corestats.CoreStats" in enabled
    assert "RemoteControl" not in enabled and "TelnetConsole" not in enabled
    assert "Remote control HTTP server" not in result.stderr and "Telnet console listening" not in result.stderr


def test_a_password_in_a_root_url_never_reaches_the_log_or_runs(site_en, tmp_path, home):
    db = f"sqlite:///{tmp_path / 's.db'}"
    root = site_en.base_url.replace("http://", "http://bob:s3cr3t@")
    result = blogcrawl_here("crawl", root, "--db", db, "--log-level", "DEBUG", env=here_env(home))
    assert "bob:***@" in result.stderr
    assert "s3cr3t" not in result.stderr
    runs = blogcrawl_here("runs", "--db", db, "--json", env=here_env(home))
    assert runs.returncode == 0 and "bob:***@" in runs.stdout and "s3cr3t" not in runs.stdout


def test_a_closed_port_is_one_line_per_error_and_a_summary(tmp_path, home):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = blogcrawl_here("crawl", f"http://127.0.0.1:{port}/", "--db", f"sqlite:///{tmp_path / 's.db'}",
                            "-s", "BLOGCRAWL_RETRY_BASE_DELAY=0.01", "-s", "RETRY_TIMES=1", env=here_env(home))
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.-]+\] (ERROR|WARNING|CRITICAL): |blogcrawl: ", line) for line in lines), result.stderr
    assert any("Connection refused" in line for line in lines)
    assert re.search(r"^blogcrawl: 1 site, 0 pages fetched, .* [1-9]\d* errors in \d+s", result.stderr, re.M)


def test_progress_line_on_a_terminal(tmp_path, home):
    """Through a pseudo-terminal: tqdm's line is redrawn while the crawl runs (several distinct frames,
    each with pages, rate, queue, new articles and ETA), erased at the end, then the summary line."""
    from crawler.extensions import progress

    assert progress.INTERVAL <= 1.0
    master, slave = pty.openpty()
    with LocalSite(SITE) as site:
        site.add_rule("/2*", delay=0.5)  # a crawl of a few seconds: the line has time to move
        proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", "crawl", site.base_url, "--db", f"sqlite:///{tmp_path / 's.db'}",
             "-s", "BLOGCRAWL_EXTRACT_WORKERS=0"],
            cwd=REPO, env={**env(home), "COLUMNS": "120"}, stdin=slave, stdout=slave, stderr=slave,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=300)
        os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, screen
    frames = {f.strip() for f in re.split(r"[\r\n]", screen) if re.search(r"\d+ pages \| .* \| queue \S+ \| \d+ new \| ETA", f)}
    assert len(frames) >= 2, screen
    assert re.search(r"blogcrawl: 1 site, \d+ pages fetched, [1-9]\d* new", screen), screen


def test_scrapy_crawl_command_feeds_give_the_export_fields(site_en, tmp_path, home):
    """``scrapy crawl blog`` (Scrapy's own command, the project's settings) with a JSON lines and a CSV feed:
    both hold every stored article with the fields, in the order, of ``blogcrawl export``."""
    db = f"sqlite:///{tmp_path / 's.db'}"
    outputs = {suffix: tmp_path / f"items.{suffix}" for suffix in ("jsonl", "csv")}
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "blog", "-a", f"url={site_en.base_url}", "-s", f"BLOGCRAWL_DB={db}",
         "-O", str(outputs["jsonl"]), "-O", str(outputs["csv"]), "-s", "LOG_LEVEL=WARNING",
         "-s", "BLOGCRAWL_EXTRACT_WORKERS=0"],
        cwd=REPO, env=env(home), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    by_url = lambda records: {r["url"]: r for r in records}  # noqa: E731
    for suffix, output in outputs.items():
        exported = blogcrawl_here("export", "--db", db, "--format", suffix)
        assert exported.returncode == 0, exported.stderr
        if suffix == "jsonl":
            feed = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
            export = [json.loads(line) for line in exported.stdout.splitlines()]
        else:
            feed = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
            export = list(csv.DictReader(io.StringIO(exported.stdout)))
            assert output.read_text(encoding="utf-8").splitlines()[0] == ",".join(EXPORT_FIELDS)
        assert len(feed) == 3, suffix  # the three posts of the English blog
        assert all(list(record) == EXPORT_FIELDS for record in feed)
        assert by_url(feed) == by_url(export)
