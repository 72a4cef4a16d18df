"""Bad input ends with one line on standard error and a documented exit code, never a traceback; read
commands never create a store. In-process (``crawler.cli.main``): every case fails before a crawl starts."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest

from crawl_helpers import run_cli
from crawler import cli
from crawler.commands import CANTCREAT, DATAERR, EXIT_CODES, LOCKED, UNAVAILABLE, USAGE

REPO = Path(__file__).resolve().parent.parent


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["http://127.0.0.1:99999/"], USAGE, "Port out of range"),
        (["http://[::1/"], USAGE, "Invalid IPv6 URL"),
        (["ftp://example.org/"], USAGE, "not an http(s) root URL"),
        (["http://127.0.0.1:9/", "--log-level", "LOUD"], USAGE, "unknown log level 'LOUD'"),
        (["http://127.0.0.1:9/", "-s", "CONCURRENT_REQUESTS=abc"], USAGE, "CONCURRENT_REQUESTS: 'abc': expected a whole number"),
        (["http://127.0.0.1:9/", "-s", "BLOGCRAWL_JS_SITES=notjson"], USAGE, "BLOGCRAWL_JS_SITES: 'notjson': expected a JSON object"),
        (["http://127.0.0.1:9/", "-s", "DOWNLOAD_TIMEOUT=soon"], USAGE, "DOWNLOAD_TIMEOUT"),
        (["http://127.0.0.1:9/", "-s", "ROBOTSTXT_OBEY=maybe"], USAGE, "expected True or False"),
        (["http://127.0.0.1:9/", "-s", "NOVALUE"], USAGE, "-s takes NAME=VALUE"),
        (["http://127.0.0.1:9/", "--max-pages", "many"], USAGE, "invalid int value"),
        (["http://127.0.0.1:9/", "--log-file", "/nonexistent/x.log"], CANTCREAT, "cannot write the log file /nonexistent/x.log"),
    ],
)
def test_bad_crawl_arguments_are_one_line_and_touch_no_store(capsys, tmp_path, args, code, message):
    db = tmp_path / "store.sqlite3"
    got, out, err = run_cli(capsys, "crawl", *args, "--db", f"sqlite:///{db}")
    assert got == code, err
    assert message in one_line(err)
    assert not db.exists(), "a rejected crawl created a store"


def test_archive_folder_that_cannot_be_written(capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    db = tmp_path / "store.sqlite3"
    code, _, err = run_cli(capsys, "crawl", "http://127.0.0.1:9/", "--archive", str(blocker / "warc"), "--db", f"sqlite:///{db}")
    assert code == CANTCREAT and "cannot write the archive" in one_line(err)
    assert not db.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder: the permission check cannot fail")
def test_read_only_archive_folder(capsys, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    code, _, err = run_cli(capsys, "crawl", "http://127.0.0.1:9/", "--archive", str(folder), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == CANTCREAT and "cannot write the archive" in one_line(err)


def test_argparse_errors_exit_64_in_one_line(capsys):
    for argv in (["crawl"], ["no-such-command"], ["export", "--format", "xml"], ["export", "--since", "yesterday"]):
        code, _, err = run_cli(capsys, *argv)
        assert code == USAGE, argv
        assert "error:" in one_line(err)


def test_version(capsys):
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and re.fullmatch(r"blogcrawl \d+\.\d+\S*\n", out)


@pytest.mark.parametrize("argv", [["export"], ["runs"], ["runs", "--json"], ["sites"], ["db", "current"], ["history", "http://x.example/p"]])
def test_read_commands_on_a_missing_store_create_nothing(capsys, tmp_path, argv):
    db = tmp_path / "typo.sqlite3"
    code, _, err = run_cli(capsys, *argv, "--db", f"sqlite:///{db}")
    assert code == UNAVAILABLE
    assert f"no store at {db}" in one_line(err)
    assert list(tmp_path.iterdir()) == [], "a read command created files"


def test_export_to_a_missing_folder_or_a_folder(capsys, tmp_path):
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert run_cli(capsys, "db", "upgrade", "--db", db)[0] == 0
    code, _, err = run_cli(capsys, "export", "--db", db, "-o", "/nonexistent/dir/x.jsonl")
    assert code == CANTCREAT and "cannot write /nonexistent/dir/x.jsonl" in one_line(err)
    code, _, err = run_cli(capsys, "export", "--db", db, "-o", str(tmp_path))
    assert code == CANTCREAT and "it is a folder" in one_line(err)


@pytest.mark.parametrize("content", [b"garbage, not a WARC record\n", b"\x1f\x8b\x08\x00garbage", gzip.compress(b"<html>not a warc</html>", mtime=0)],
                         ids=["text", "bad-gzip", "gzip-not-warc"])  # ids that do not change with the clock
def test_reextract_of_a_corrupt_warc(capsys, tmp_path, content):
    archive = tmp_path / "warc"
    archive.mkdir()
    (archive / "blogcrawl-1.warc.gz").write_bytes(content)
    code, _, err = run_cli(capsys, "reextract", "--archive", str(archive), "--db", f"sqlite:///{tmp_path / 's.db'}")
    assert code == DATAERR and "cannot read the archive: blogcrawl-1.warc.gz" in one_line(err)


def test_replay_of_nothing_fails(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "page.html").write_text("<p>hi</p>")
    for target, message in ((tmp_path / "missing", "no such folder"), (tmp_path / "empty", "no fixture cases"), (tmp_path / "page.html", "not a folder")):
        code, out, err = run_cli(capsys, "replay", str(target))
        assert code == USAGE and message in one_line(err), target
        assert "cases match" not in out


def test_replay_of_a_broken_case(capsys, tmp_path):
    case = tmp_path / "fx" / "site" / "case"
    case.mkdir(parents=True)
    (case / "page.html.gz").write_bytes(b"not gzip")
    (case / "expected.json").write_text("{}")
    (case / "meta.json").write_text('{"url": "http://site.example/p", "fetched_at": "2024-01-01T00:00:00+00:00"}')
    code, _, err = run_cli(capsys, "replay", str(tmp_path / "fx"))
    assert code == DATAERR and "cannot load the case" in one_line(err)


def test_fixture_save_is_http_only_kept_inside_and_never_overwrites(capsys, tmp_path):
    from localsite import LocalSite

    fixtures = tmp_path / "fixtures"
    code, _, err = run_cli(capsys, "fixture", "save", "file:///etc/hostname", "--dir", str(fixtures))
    assert code == USAGE and "not an http(s) URL" in one_line(err)
    code, _, err = run_cli(capsys, "fixture", "save", "http://127.0.0.1:9/", "--name", "../../escape", "--dir", str(fixtures))
    assert code == USAGE and "one folder name" in one_line(err)
    assert not fixtures.exists()
    with LocalSite(REPO / "fixtures" / "site" / "en") as site:
        url = site.url("/about/")
        code, out, err = run_cli(capsys, "fixture", "save", url, "--name", "about", "--dir", str(fixtures))
        assert code == 0, err
        saved = next(fixtures.glob("*/about"))
        (saved / "page.html.gz").write_bytes(gzip.compress(b"<html>mine</html>"))
        code, _, err = run_cli(capsys, "fixture", "save", url, "--name", "about", "--dir", str(fixtures))
        assert code == CANTCREAT and "--force" in one_line(err)
        assert gzip.decompress((saved / "page.html.gz").read_bytes()) == b"<html>mine</html>"
        code, _, err = run_cli(capsys, "fixture", "save", url, "--name", "about", "--dir", str(fixtures), "--force")
        assert code == 0, err
        assert gzip.decompress((saved / "page.html.gz").read_bytes()) != b"<html>mine</html>"


def test_recrawl_waits_for_no_crawl_it_exits_75(capsys, tmp_path):
    from pipelines.storage.lock import CrawlLock

    db = f"sqlite:///{tmp_path / 's.db'}"
    assert run_cli(capsys, "db", "upgrade", "--db", db)[0] == 0
    with CrawlLock(db):
        code, _, err = run_cli(capsys, "recrawl", "http://127.0.0.1:9/post/", "--db", db)
    assert code == LOCKED and "not starting" in one_line(err)


def test_unexpected_errors_are_one_line_exit_70(capsys, monkeypatch):
    from crawler.commands import runs

    def boom(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(runs, "run", boom)
    code, _, err = run_cli(capsys, "runs")
    assert code == 70 and "unexpected error: RuntimeError: a bug" in one_line(err)


# -- help and the README ---------------------------------------------------------------------------


def _subparsers(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield name, sub
                for deeper_name, deeper in _subparsers(sub):
                    yield f"{name} {deeper_name}", deeper


def test_every_option_has_a_help_text():
    parser = cli.build_parser()
    missing = []
    for name, sub in [("blogcrawl", parser), *_subparsers(parser)]:
        for action in sub._actions:
            if action.help is None and not action.__class__.__name__.startswith("_SubParsers"):
                missing.append(f"{name}: {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_crawl_help_lists_the_exit_codes(capsys):
    code, out, _ = run_cli(capsys, "crawl", "--help")
    assert code == 0
    for number, _meaning in EXIT_CODES:
        assert re.search(rf"^  {number}\s", out, re.M), number


def test_readme_exit_code_table_matches_the_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = [int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)]
    assert documented == [number for number, _ in EXIT_CODES]
