"""``make demo`` outside a checkout (the crawl itself: tests/test_cli_demo.py)."""

from __future__ import annotations

from crawler import demo


def test_demo_outside_a_checkout_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(demo, "SERVER", tmp_path / "nowhere" / "localsite.py")
    assert demo.main(["--db", f"sqlite:///{tmp_path}/x.sqlite3"]) == 64
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
