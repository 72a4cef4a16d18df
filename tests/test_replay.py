"""``blogcrawl replay`` and ``blogcrawl fixture save`` (against a local HTTP server only)."""

from __future__ import annotations

import argparse
import functools
import json
import shutil
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from crawler.commands import fixture, replay
from crawler.extraction.cases import EXPECTED, META, PAGE, find_cases

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A quiet morning - Test Blog</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Test Blog">
<meta property="article:published_time" content="2024-01-02T08:00:00+00:00"></head>
<body class="single single-post"><article><h1 class="entry-title">A quiet morning</h1><div class="entry-content">
<p>The lake was still at six, and the only sound was a heron lifting off from the reeds near the jetty.</p>
<p>By eight the first swimmers arrived, and the café on the corner opened its shutters for the day.</p>
<p>Read also: <a href="/other/">Another morning</a></p></div></article></body></html>"""


def _copy_cases(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    for case in find_cases(FIXTURES):
        if case.parent.name != "site":
            shutil.copytree(case, target / case.parent.name / case.name)
    return target


def _replay(directory: Path) -> int:
    return replay.run(argparse.Namespace(dir=str(directory)))


def test_replay_passes_on_shipped_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _replay(_copy_cases(tmp_path)) == 0
    assert "0 mismatched" in capsys.readouterr().out


def test_replay_fails_on_a_changed_word(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy_cases(tmp_path)
    case = find_cases(root)[0]
    expected = json.loads((case / EXPECTED).read_text(encoding="utf-8"))
    words = expected["text"].split(" ")
    words[3] = "CHANGED"
    expected["text"] = " ".join(words)
    (case / EXPECTED).write_text(json.dumps(expected, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    assert _replay(root) == 1
    out = capsys.readouterr().out
    assert f"MISMATCH {case}" in out and "text:" in out and "CHANGED" in out and "1 mismatched" in out


@pytest.fixture()
def local_site(tmp_path: Path):
    docroot = tmp_path / "www"
    (docroot / "2024" / "01").mkdir(parents=True)
    (docroot / "2024" / "01" / "quiet-morning.html").write_text(PAGE_HTML, encoding="utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(docroot))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_fixture_save_records_a_case(local_site: str, tmp_path: Path) -> None:
    out = tmp_path / "recorded"
    args = argparse.Namespace(url=f"{local_site}/2024/01/quiet-morning.html", name=None, dir=str(out), timeout=10.0)
    assert fixture.run(args) == 0
    [case] = find_cases(out)
    assert case.name == "quiet-morning-html" and case.parent.name.startswith("127-0-0-1-")
    assert {p.name for p in case.iterdir()} == {PAGE, META, EXPECTED}
    expected = json.loads((case / EXPECTED).read_text(encoding="utf-8"))
    assert list(expected) == sorted(expected)
    assert expected["is_article"] is True and expected["title"] == "A quiet morning"
    assert "Read also" not in expected["text"] and expected["text"].startswith("The lake was still")
    assert _replay(out) == 0


def test_fixture_save_reports_download_errors(local_site: str, tmp_path: Path) -> None:
    args = argparse.Namespace(url=f"{local_site}/missing.html", name="x", dir=str(tmp_path), timeout=10.0)
    assert fixture.run(args) == 1
