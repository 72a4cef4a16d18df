"""``make demo`` (``crawler.demo.main``, in this process): the bundled blogs served by tests/localsite.py on
fixed ports, crawled and shown (every post's title, pages kept as WARC for serve); a second demo is an
incremental crawl that stores nothing new; its own blogs healthy in ``runs``, rows sorted by site then
date, a last line that says what this run stored."""

from __future__ import annotations

import io
import os
import re
import socket
from contextlib import redirect_stdout
from unittest import mock

import pytest

from crawl_helpers import blogcrawl, scrapy_in_process
from crawler import demo

pytestmark = pytest.mark.slow


def free_port_pair() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port = a.getsockname()[1]
            with socket.socket() as b:
                try:
                    b.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
            return port
    pytest.skip("no two free neighbouring ports")


class Run:
    def __init__(self, returncode: int, stdout: str, stderr: str):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_demo(*args: str, env: dict | None = None) -> Run:
    out, log = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env or {}), redirect_stdout(out), scrapy_in_process(log):
        code = demo.main(list(args))
    return Run(code, out.getvalue(), log.getvalue())


def test_demo_twice_on_fixed_ports(tmp_path, site_truth):
    port = free_port_pair()
    db = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    archive = str(tmp_path / "archive")
    first = run_demo("--db", db, "--archive", archive, env={"BLOGCRAWL_DEMO_PORT": str(port)})
    assert first.returncode == 0, first.stderr[-3000:]
    assert f"http://127.0.0.1:{port}/ http://127.0.0.1:{port + 1}/" in first.stdout
    total = re.search(r"^(\d+) articles, \d+ words in .* \((\d+) new in this run\)$", first.stdout, re.M)
    posts = [p for name in ("ar", "en") for p in site_truth(name)["posts"]]
    assert total and int(total.group(1)) == len(posts) and total.group(2) == total.group(1)
    for post in posts:
        assert post["title"] in first.stdout
    assert list((tmp_path / "archive").glob("*.warc*")), "the demo keeps its pages for serve's removed-blocks view"
    assert f"--archive {archive}" in first.stdout

    second = run_demo("--db", db, "--archive", archive, "--port", str(port))
    assert second.returncode == 0, second.stderr
    assert re.search(rf"^{total.group(1)} articles, .* \(0 new in this run\)$", second.stdout, re.M), second.stdout

    sites, rows = [], {}
    for line in second.stdout.splitlines():
        if re.fullmatch(r"127\.0\.0\.1:\d+", line):
            sites.append(line)
            rows[line] = []
        elif line.startswith("  ") and sites:
            rows[sites[-1]].append(line.split()[0])
    assert sites == sorted(sites) and sites == [f"127.0.0.1:{port}", f"127.0.0.1:{port + 1}"]
    for dates in rows.values():
        dated = [d for d in dates if d != "no"]
        assert dated == sorted(dated) and dates[: len(dated)] == dated  # by date, undated last

    runs = blogcrawl("runs", "--db", db)
    assert runs.returncode == 0
    assert "check this site's layout" not in runs.stdout
    assert re.findall(r"\((\d+)% unhealthy\)", runs.stdout) and set(re.findall(r"\((\d+)% unhealthy\)", runs.stdout)) == {"0"}
