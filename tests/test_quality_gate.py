"""bench/quality_gate.py's own logic (the gate itself runs in .ci/run: it reads the datasets, tests never do)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import quality_gate as gate  # noqa: E402


def test_committed_pages_and_floors_cover_every_benchmark():
    pages = json.loads(gate.PAGES_FILE.read_text(encoding="utf-8"))
    floors = json.loads(gate.FLOORS_FILE.read_text(encoding="utf-8"))
    assert set(pages) == set(gate.BENCHMARKS)
    for name in gate.BENCHMARKS:
        assert len(set(pages[name])) == gate.PAGES_PER_BENCHMARK, name
        assert floors[name], name
        assert all(0 < value < 1 for value in floors[name].values()), name


def test_a_figure_below_its_floor_fails_and_the_rest_pass():
    found = {"trafilatura-eval": {"precision": 0.93, "recall": 0.90, "f1": 0.915}, "dates-htmldate": {"right": 0.8}}
    floors = {"trafilatura-eval": {"precision": 0.92, "recall": 0.93, "f1": 0.91}, "dates-htmldate": {"right": 0.8}}
    assert gate.failures(found, floors) == ["trafilatura-eval recall 0.9000 < floor 0.930"]


def test_updated_floors_sit_a_margin_under_the_figures():
    floors = gate.floors_from({"article-extraction-benchmark": {"f1": 0.9872}, "dates-htmldate": {"right": 0.7667}})
    assert floors["article-extraction-benchmark"] == {"f1": 0.977}
    assert floors["dates-htmldate"] == {"right": 0.746}
    assert gate.failures({"dates-htmldate": {"right": 0.7667}}, floors) == []


def test_missing_datasets_skip_outside_ci_and_fail_under_ci(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CI", raising=False)
    assert gate.main(["--datasets", str(tmp_path)]) == 0
    assert "skipped" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    assert gate.main(["--datasets", str(tmp_path)]) == 1
    assert "CI=true" in capsys.readouterr().err
