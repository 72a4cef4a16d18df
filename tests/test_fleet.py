"""Fleet crawls: several processes share a Redis frontier and a PostgreSQL store.

Needs Redis on 127.0.0.1:6379 and PostgreSQL on 127.0.0.1:5432; each test skips with the reason when
one is unreachable, except under CI (``CI=true``), where a missing service is a failure. Each test
uses its own fleet name (Redis keys ``blogcrawl:<name>:*``, deleted afterwards) and a fresh database.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from urllib.parse import unquote

import pytest

from crawl_helpers import REPO, blogcrawl, export_records
from localsite import LocalSite
from pg_helpers import pg_database  # noqa: F401  (fixture)

pytestmark = pytest.mark.slow  # every test here crawls (see conftest.py)

SITES = REPO / "fixtures" / "site"
REDIS_URL = "redis://127.0.0.1:6379/0"
# a lease outlives a busy machine's slowest heartbeat gap (10 s): only a killed worker loses its leases;
# extraction inline (the pool is tested by tests/test_cli_procs.py)
FAST = ["--idle-timeout", "3", "-s", "BLOGCRAWL_EXTRACT_WORKERS=0", "-s", "BLOGCRAWL_FLEET_LEASE_TTL=10", "-s", "CONCURRENT_REQUESTS=2", "--log-level", "INFO"]


def redis_client():
    """A client of the Redis on 127.0.0.1:6379, or skip/fail the test when unreachable."""
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis not reachable on 127.0.0.1:6379: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the service must run)")
        pytest.skip(reason)
    return client


@pytest.fixture
def fleet():
    """(Redis client, a fleet name of this test only); its keys are deleted afterwards."""
    client = redis_client()
    name = f"t-{uuid.uuid4().hex[:10]}"
    yield client, name
    keys = list(client.scan_iter(match=f"blogcrawl:{name}:*", count=500))
    if keys:
        client.delete(*keys)


@pytest.fixture
def pg_url(pg_database):  # noqa: F811
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"


@pytest.fixture(scope="module")
def sites():
    servers = [LocalSite(SITES / name).start() for name in ("ar", "en")]
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def reference(sites, tmp_path_factory):
    """url -> content_hash of a single-process crawl of the same servers."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('reference')}/store.sqlite3"
    result = blogcrawl("crawl", *(s.base_url for s in sites), "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    records = {r["url"]: r["content_hash"] for r in export_records(db_url)}
    assert len(records) == 8
    return records


@pytest.fixture
def slow_sites(sites):
    """The sites with a delay on every post and listing page, so that work spreads over the processes."""
    for site in sites:
        site.reset_log()
        site.add_rule("/2*", delay=0.3)
        site.add_rule("/category/*", delay=0.2)
    yield sites
    for site in sites:
        site.remove_rule("/2*")
        site.remove_rule("/category/*")
        site.reset_log()


def spawn(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )


def seeder(sites, name: str, db_url: str, *extra: str) -> subprocess.Popen:
    return spawn("crawl", *(s.base_url for s in sites), "--frontier", REDIS_URL, "--name", name, "--db", db_url, *FAST, *extra)


def worker(name: str, db_url: str, *extra: str) -> subprocess.Popen:
    return spawn("worker", "--frontier", REDIS_URL, "--name", name, "--db", db_url, "--wait", "30", *FAST, *extra)


def ready_workers(count: int, name: str, db_url: str) -> list[subprocess.Popen]:
    """Workers started and waiting for a crawl (their start-up is over), so that they join it at once."""
    return ready([worker(name, db_url) for _ in range(count)])


def ready(procs: list[subprocess.Popen]) -> list[subprocess.Popen]:
    """``procs`` (workers started together) once each is waiting for a crawl."""
    for proc in procs:
        for line in iter(proc.stderr.readline, ""):
            if "waiting up to" in line:
                break
        else:
            pytest.fail(f"worker ended before waiting for a crawl: {proc.communicate()[1][-3000:]}")
    return procs


def finish(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        pytest.fail(f"process {proc.args[3]} did not exit on its own:\n{err[-3000:]}")
    return proc.returncode, err


def stat(stderr: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", stderr)
    return int(match.group(1)) if match else 0


def fetched_paths(sites) -> Counter:
    """GET requests per (site, path), robots.txt aside (every process reads the rules it obeys)."""
    return Counter(
        (site.base_url, unquote(path)) for site in sites for method, path, _ in site.requests
        if method == "GET" and not path.startswith("/robots.txt")
    )


@pytest.fixture
def fresh_sites(sites):
    """The module's sites with an empty request log."""
    for site in sites:
        site.reset_log()
    yield sites
    for site in sites:
        site.reset_log()


def test_three_processes_crawl_like_one(fleet, pg_url, fresh_sites, reference):
    """Two workers waiting, then a seeder: one crawl, each page fetched once by one of the three, every
    fetch and every stored article counted by the process that did it. How the pages spread over the
    processes is the scheduler's business (a fast machine may let the seeder fetch them all): not asserted."""
    client, name = fleet
    workers = ready_workers(2, name, pg_url)
    procs = [seeder(fresh_sites, name, pg_url), *workers]
    results = [finish(p) for p in procs]
    for code, err in results:
        assert code == 0, err[-3000:]

    assert {r["url"]: r["content_hash"] for r in export_records(pg_url)} == reference
    fetched = fetched_paths(fresh_sites)
    twice = {key: n for key, n in fetched.items() if n > 1}
    assert twice == {}, f"fetched more than once across processes: {twice}"
    robots = sum(1 for site in fresh_sites for method, path, _ in site.requests if path.startswith("/robots.txt"))
    responses = sum(stat(err, "downloader/response_count") for _, err in results)
    assert responses == sum(fetched.values()) + robots  # every answer the servers gave, counted once
    assert sum(stat(err, "storage/new") for _, err in results) == len(reference)

    runs = [json.loads(line) for line in blogcrawl("runs", "--db", pg_url, "--json").stdout.splitlines()]
    assert [r["status"] for r in runs] == ["finished"] * 3  # one run per process
    status = json.loads(blogcrawl("worker", "--frontier", REDIS_URL, "--name", name, "--db", pg_url, "--status").stdout)
    assert status["state"] == "done" and status["queued"] == 0 and status["in_flight"] == 0
    assert status["workers"] == {}


def test_killed_worker_in_flight_requests_are_retried(fleet, pg_url, slow_sites, reference):
    client, name = fleet
    # posts are held unanswered by the servers until the victim is dead: it is killed with posts in flight
    # (a hold, not a delay: no race with the machine's speed)
    holds = [site.hold("/2*") for site in slow_sites]
    # the victim's leases (and its heartbeat key) last 6 s, not 10: they expire soon after the kill; it is
    # idle meanwhile (its posts are held), so its heartbeat (every second) keeps them while it lives
    victim, survivor = ready([worker(name, pg_url, "-s", "BLOGCRAWL_FLEET_LEASE_TTL=6"), worker(name, pg_url)])
    seed = seeder(slow_sites, name, pg_url)
    token_prefix = f"-{victim.pid}-"
    deadline = time.monotonic() + 60
    try:
        while True:
            leases = [t.decode() for t in client.zrange(f"blogcrawl:{name}:leases", 0, -1)]
            if any(token_prefix in t for t in leases) and any(h.arrived.is_set() for h in holds):
                break
            assert victim.poll() is None, "the victim ended before it could be killed"
            assert time.monotonic() < deadline, "the victim never held a lease"
            time.sleep(0.05)
    finally:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.communicate()
    orphaned = [t.decode() for t in client.zrange(f"blogcrawl:{name}:leases", 0, -1) if token_prefix in t.decode()]
    for held in holds:
        held.release()
    assert orphaned, "the victim's leases were released before the kill"

    results = [finish(seed), finish(survivor)]
    for code, err in results:
        assert code == 0, err[-3000:]
    assert {r["url"]: r["content_hash"] for r in export_records(pg_url)} == reference
    assert sum(stat(err, "fleet/leases_requeued") for _, err in results) >= len(orphaned)
    assert sum(stat(err, "fleet/workers_lost") for _, err in results) == 1
    runs = [json.loads(line) for line in blogcrawl("runs", "--db", pg_url, "--json").stdout.splitlines()]
    assert sorted(r["status"] for r in runs) == ["finished", "finished", "interrupted"]


def test_worker_without_a_crawl_exits_0(fleet, pg_url):
    _, name = fleet
    result = blogcrawl("worker", "--frontier", REDIS_URL, "--name", name, "--db", pg_url, "--wait", "0.5", timeout=60)
    assert result.returncode == 0, result.stderr  # a worker that kept waiting fails here by its timeout
    assert "no crawl running" in result.stderr


def test_unreachable_frontier_is_one_line(tmp_path):
    result = blogcrawl("worker", "--frontier", "redis://:secret@127.0.0.1:1/0", "--db", f"sqlite:///{tmp_path}/x.sqlite3")
    assert result.returncode == 69
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr
    bad = blogcrawl("worker", "--frontier", "http://127.0.0.1:6379/0", "--db", f"sqlite:///{tmp_path}/x.sqlite3")
    assert bad.returncode == 64


# -- the frontier on its own -----------------------------------------------------------------------


def test_leases_are_requeued_when_they_expire(fleet):
    from crawler.fleet.frontier import RedisFrontier, fleet_prefix

    client, name = fleet
    prefix = fleet_prefix(name)
    a = RedisFrontier(client, prefix, lease_ttl=0.3, worker_id="a")
    b = RedisFrontier(client, prefix, lease_ttl=0.3, worker_id="b")
    assert a.begin(["http://x.example/"], "now") == ("started", 1)
    assert a.push(b"low", 10, "fp-low") and a.push(b"high", -5, "fp-high")
    assert not b.push(b"again", 0, "fp-high"), "the seen set is shared"
    token, data = a.pop()
    assert data == b"high" and a.held == {token}
    assert a.counts() == (1, 1)
    assert b.begin(["http://y.example/"], "now") == ("joined", 1)
    assert a.meta()["roots"] == ["http://x.example/", "http://y.example/"]
    time.sleep(0.4)
    assert b.requeue_expired() == [token]
    assert a.counts() == (2, 0)
    assert [b.pop()[1], b.pop()[1]] == [b"high", b"low"]
    assert a.mark_done("now") is False  # b still holds two leases


def test_push_releases_the_parent_lease_in_one_step(fleet):
    from crawler.fleet.frontier import RedisFrontier, fleet_prefix

    client, name = fleet
    f = RedisFrontier(client, fleet_prefix(name), lease_ttl=30, worker_id="w")
    f.begin(["http://x.example/"], "now")
    f.push(b"page", 0, "fp-page")
    token, _ = f.pop()
    assert f.push(b"redirected", 0, "fp-page", release=token) is False  # a redirect to a seen URL: dropped
    assert f.counts() == (0, 0) and f.held == set()
    assert f.mark_done("later") and f.meta()["state"] == "done"
    assert f.begin(["http://x.example/"], "again") == ("started", 2)  # a finished crawl: the next one starts afresh
    assert f.push(b"page", 0, "fp-page"), "a new crawl has a new seen set"


def test_fleet_processes_share_the_store_lock_a_plain_crawl_excludes(pg_url):
    from crawler.fleet.lock import SharedCrawlLock
    from pipelines.storage.lock import CrawlLock, StoreLocked
    from pipelines.storage.store import Store

    Store(pg_url).close()
    first, second = SharedCrawlLock(pg_url).acquire(), SharedCrawlLock(pg_url).acquire()
    try:
        with pytest.raises(StoreLocked):
            CrawlLock(pg_url).acquire()
    finally:
        first.release()
        second.release()
    with CrawlLock(pg_url):
        with pytest.raises(StoreLocked):
            SharedCrawlLock(pg_url).acquire()
