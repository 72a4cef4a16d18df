"""``make demo`` from a checkout: the bundled blogs served by tests/localsite.py, crawled, shown."""

from __future__ import annotations

import io
from contextlib import redirect_stdout

import pytest

from crawl_helpers import scrapy_in_process
from test_cli_demo import free_port_pair  # the demo's fixed ports: a free pair, not 8741 (another demo may run)
from crawler import demo

pytestmark = pytest.mark.slow  # a crawl


def test_demo_serves_crawls_and_shows_the_bundled_blogs(tmp_path, site_truth):
    out, log = io.StringIO(), io.StringIO()
    with redirect_stdout(out), scrapy_in_process(log):
        code = demo.main(["--db", f"sqlite:///{tmp_path}/demo.sqlite3", "--archive", str(tmp_path / "archive"),
                          "--port", str(free_port_pair())])
    assert code == 0, log.getvalue()[-3000:]
    shown = out.getvalue()
    posts = [p for name in ("ar", "en") for p in site_truth(name)["posts"]]
    assert f"\n{len(posts)} articles," in shown
    for post in posts:
        assert post["title"] in shown
    assert list((tmp_path / "archive").glob("*.warc*")), "the demo keeps its pages for serve's removed-blocks view"
    assert f"--archive {tmp_path / 'archive'}" in shown


def test_demo_outside_a_checkout_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(demo, "SERVER", tmp_path / "nowhere" / "localsite.py")
    assert demo.main(["--db", f"sqlite:///{tmp_path}/x.sqlite3"]) == 64
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
