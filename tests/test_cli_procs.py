"""The crawl's helper processes (extraction forkserver, its workers, the resource tracker) die with it,
however it dies; a Ctrl-C leaves no worker traceback and a non-zero exit code."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs crawls (make check leaves them out)

from localsite import LocalSite

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / "fixtures" / "site" / "en"
BOUND = 60.0  # seconds: a generous bound on a condition polled for, never a timing assertion


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def wait_for(condition, what: str):
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def spawn_crawl(tmp_path, site, *extra, **popen) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "BLOGCRAWL_EXTRACT_WORKERS": ""}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", site.base_url, "--db", f"sqlite:///{tmp_path / 'c.db'}",
         "-s", "BLOGCRAWL_EXTRACT_WORKERS=2", *extra],
        cwd=REPO, env=env, start_new_session=True, **popen,
    )


def pool_started(pid: int):
    """The crawl's helper processes once its extraction workers run (the forkserver's children)."""
    tree = _children()
    servers = [p for p in tree.get(pid, []) if "forkserver" in cmdline(p)]
    workers = [w for server in servers for w in tree.get(server, [])]
    return descendants(pid) if servers and workers else None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_kill_9_of_a_crawl_leaves_no_helper_process(tmp_path):
    with LocalSite(SITE) as site:
        site.add_rule("/2*", delay=1)  # posts answer slowly: the crawl is alive, its pool started
        crawl = spawn_crawl(tmp_path, site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            helpers = wait_for(lambda: pool_started(crawl.pid), "the extraction pool")
            os.kill(crawl.pid, signal.SIGKILL)  # the main process only, as the OOM killer would
            crawl.wait(timeout=BOUND)
            wait_for(lambda: not [p for p in helpers if alive(p)], "the helpers to exit")
        finally:
            for pid in descendants(crawl.pid) | {crawl.pid}:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    assert not [p for p in helpers if alive(p)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_ctrl_c_through_a_pipe_exits_130_without_a_traceback(tmp_path):
    """``blogcrawl crawl ... | tee log`` and Ctrl-C: the terminal signals the whole group, tee dies, the
    crawl stops cleanly with exit code 130 (not 0) and one line, no worker KeyboardInterrupt traceback."""
    read_end, write_end = os.pipe()
    with LocalSite(SITE) as site:
        site.add_rule("/2*", delay=1)
        crawl = spawn_crawl(tmp_path, site, stdout=write_end, stderr=subprocess.PIPE, text=True)
        os.close(write_end)
        try:
            wait_for(lambda: pool_started(crawl.pid), "the extraction pool")
            os.close(read_end)  # tee is gone
            os.killpg(crawl.pid, signal.SIGINT)
            _, stderr = crawl.communicate(timeout=BOUND)
        finally:
            if crawl.poll() is None:
                os.killpg(crawl.pid, signal.SIGKILL)
    assert crawl.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "interrupted" in stderr.splitlines()[-1]
