"""Helpers for crawl tests: run ``blogcrawl`` in a subprocess (a Twisted reactor starts once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def blogcrawl(*args: str, timeout: float = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs ``python -m crawler.cli ARGS`` from the repository and returns the finished process."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout,
    )


def export_records(db_url: str) -> list[dict]:
    result = blogcrawl("export", "--db", db_url)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
