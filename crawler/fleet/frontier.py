"""The shared frontier in Redis: a priority queue with leases, the seen set, the crawl's roots and workers.

Keys (``P`` is the fleet's prefix, ``blogcrawl:<name>``):

- ``P:requests``  ZSET of serialized requests, score ``-priority`` (scrapy-redis ``PriorityQueue`` layout)
- ``P:seen``      SET of request fingerprints (the canonical URL key): the shared dupefilter
- ``P:leases``    ZSET token -> deadline (Redis server time): requests popped and not yet fully processed
- ``P:leased``    HASH token -> ``score\\nrequest``: what to put back when a lease expires
- ``P:meta``      HASH state (running | done), generation, roots (JSON), started_at, finished_at
- ``P:workers``   HASH worker id -> JSON (host, pid, run id); ``P:alive:<worker>`` expires unless heartbeaten
- ``P:stats``     HASH fleet-wide counters (leases_requeued, workers_lost)
- ``P:sites``     HASH ``<note>/<site>`` -> value: what the processes learned of each site in this generation
  (``sitemap``: its sitemaps answered; ``answered``: a page of it answered; ``root``: its root's fetch
  outcome as JSON; crawler/fleet/sites.py)
- ``P:sites:last`` the same notes of the generation before (a new generation keeps them: which sites'
  sitemaps answered tells which sites' known posts it re-checks, ``FleetFrontier.recheck``)

A pop moves a request from the queue to the leases in one script; pushing a request and releasing the
lease of the request it came from (a redirect, a retry) is one script too. Deadlines use the Redis
server's clock, so the machines' clocks do not matter. Every script is atomic, so a process killed at
any moment leaves each request either queued or leased, never lost.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import uuid
from dataclasses import dataclass

LEASE_META = "fleet_lease"  # request.meta key holding the lease token of a popped request

_PUSH = """
local added = 1
if ARGV[3] ~= '' then added = redis.call('SADD', KEYS[2], ARGV[3]) end
if added == 1 then redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[4] ~= '' then
  redis.call('ZREM', KEYS[3], ARGV[4])
  redis.call('HDEL', KEYS[4], ARGV[4])
end
return added
"""

_POP = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], r[2] .. '\\n' .. r[1])
return r[1]
"""

_EXTEND = """
local t = redis.call('TIME')
local deadline = tonumber(t[1]) + tonumber(t[2]) / 1000000 + tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', deadline, ARGV[i]) end
return n
"""

# KEYS: queue, leases, leased, stats. ARGV[1]: 'expired' (deadline passed) or 'given' (ARGV[2..] tokens).
_REQUEUE = """
local tokens
if ARGV[1] == 'expired' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
  tokens = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 500)
else
  tokens = {}
  for i = 2, #ARGV do tokens[#tokens + 1] = ARGV[i] end
end
local moved = {}
for _, token in ipairs(tokens) do
  local v = redis.call('HGET', KEYS[3], token)
  if v then
    local i = string.find(v, '\\n', 1, true)
    redis.call('ZADD', KEYS[1], tonumber(string.sub(v, 1, i - 1)), string.sub(v, i + 1))
    moved[#moved + 1] = token
  end
  redis.call('ZREM', KEYS[2], token)
  redis.call('HDEL', KEYS[3], token)
end
if ARGV[1] == 'expired' and #moved > 0 then redis.call('HINCRBY', KEYS[4], 'leases_requeued', #moved) end
return moved
"""

# KEYS: meta, queue, leases, leased, seen, sites, last sites. ARGV: roots JSON, now (ISO 8601).
_BEGIN = """
local state = redis.call('HGET', KEYS[1], 'state')
local busy = redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
if state == 'running' and busy > 0 then
  local roots = cjson.decode(redis.call('HGET', KEYS[1], 'roots') or '[]')
  local known = {}
  for _, r in ipairs(roots) do known[r] = true end
  for _, r in ipairs(cjson.decode(ARGV[1])) do
    if not known[r] then roots[#roots + 1] = r; known[r] = true end
  end
  redis.call('HSET', KEYS[1], 'roots', cjson.encode(roots))
  return {'joined', redis.call('HGET', KEYS[1], 'generation')}
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7])
if redis.call('EXISTS', KEYS[6]) == 1 then redis.call('RENAME', KEYS[6], KEYS[7]) end
local gen = redis.call('HINCRBY', KEYS[1], 'generation', 1)
redis.call('HSET', KEYS[1], 'state', 'running', 'roots', ARGV[1], 'started_at', ARGV[2])
redis.call('HDEL', KEYS[1], 'finished_at')
return {'started', tostring(gen)}
"""

# KEYS: meta, queue, leases. ARGV: now (ISO 8601).
_DONE = """
if redis.call('HGET', KEYS[1], 'state') == 'running'
   and redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('HSET', KEYS[1], 'state', 'done', 'finished_at', ARGV[1])
  return 1
end
return 0
"""


def fleet_prefix(name: str) -> str:
    """The Redis key prefix of a fleet: ``blogcrawl:<name>`` (name limited to ``[A-Za-z0-9_.-]``)."""
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    if not clean:
        raise ValueError(f"not a usable fleet name: {name!r}")
    return f"blogcrawl:{clean}"


def default_fleet_name(db_url: str) -> str:
    """A fleet name derived from the store, so every process on one store shares one frontier."""
    import hashlib

    from sqlalchemy.engine import make_url

    rendered = make_url(db_url).render_as_string(hide_password=True)
    return "store-" + hashlib.sha256(rendered.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class FleetKeys:
    prefix: str

    @property
    def queue(self) -> str:
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:
        return f"{self.prefix}:seen"

    @property
    def leases(self) -> str:
        return f"{self.prefix}:leases"

    @property
    def leased(self) -> str:
        return f"{self.prefix}:leased"

    @property
    def meta(self) -> str:
        return f"{self.prefix}:meta"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    @property
    def stats(self) -> str:
        return f"{self.prefix}:stats"

    @property
    def sites(self) -> str:
        return f"{self.prefix}:sites"

    @property
    def last_sites(self) -> str:
        return f"{self.prefix}:sites:last"

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def all(self) -> list[str]:
        return [self.queue, self.seen, self.leases, self.leased, self.meta, self.workers, self.stats, self.sites, self.last_sites]


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class RedisFrontier:
    """One process's handle on the shared frontier; keeps the tokens of the leases it holds."""

    def __init__(self, server, prefix: str, *, lease_ttl: float = 60.0, worker_id: str | None = None):
        self.server = server
        self.keys = FleetKeys(prefix)
        self.lease_ttl = lease_ttl
        self.worker_id = worker_id or new_worker_id()
        self.held: set[str] = set()
        self.waiting: set[str] = set()  # held leases whose retry waits in this process (FleetScheduler)
        self._tokens = itertools.count(1)
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._extend = server.register_script(_EXTEND)
        self._requeue = server.register_script(_REQUEUE)
        self._begin = server.register_script(_BEGIN)
        self._done = server.register_script(_DONE)

    @classmethod
    def from_url(cls, redis_url: str, prefix: str, **kwargs) -> "RedisFrontier":
        import redis

        return cls(redis.Redis.from_url(redis_url, socket_timeout=30, socket_connect_timeout=10), prefix, **kwargs)

    @classmethod
    def for_crawler(cls, crawler) -> "RedisFrontier":
        """The crawler's frontier (one per process, shared by the scheduler and the spider)."""
        frontier = getattr(crawler, "_blogcrawl_fleet", None)
        if frontier is None:
            from scrapy_redis.connection import get_redis_from_settings

            settings = crawler.settings
            prefix = settings.get("BLOGCRAWL_FLEET_PREFIX") or fleet_prefix(
                settings.get("BLOGCRAWL_FLEET_NAME") or default_fleet_name(settings.get("BLOGCRAWL_DB") or "")
            )
            frontier = cls(
                get_redis_from_settings(settings), prefix,
                lease_ttl=settings.getfloat("BLOGCRAWL_FLEET_LEASE_TTL", 60.0),
            )
            crawler._blogcrawl_fleet = frontier
        return frontier

    # -- the queue -----------------------------------------------------------------------------------

    def push(self, data: bytes, score: float, fingerprint: str | None, release: str | None = None) -> bool:
        """Queues a request unless its fingerprint was seen; releases lease ``release`` in the same step.
        Returns False when the request was a duplicate."""
        k = self.keys
        added = self._push(keys=[k.queue, k.seen, k.leases, k.leased], args=[score, data, fingerprint or "", release or ""])
        if release:
            self.held.discard(release)
        return bool(added)

    def pop(self) -> tuple[str, bytes] | None:
        """Takes the highest-priority request under a new lease: (token, serialized request) or None."""
        token = f"{self.worker_id}:{next(self._tokens)}"
        k = self.keys
        data = self._pop(keys=[k.queue, k.leases, k.leased], args=[token, self.lease_ttl])
        if data is None:
            return None
        self.held.add(token)
        return token, data

    def release(self, token: str | None) -> None:
        """The request of this lease was fully processed (its items stored, its links queued)."""
        if not token or token in self.waiting:
            return
        self.held.discard(token)
        with self.server.pipeline(transaction=True) as pipe:
            pipe.zrem(self.keys.leases, token).hdel(self.keys.leased, token)
            pipe.execute()

    def extend(self) -> int:
        """Pushes back the deadline of every lease this process holds; returns how many were still there."""
        if not self.held:
            return 0
        return int(self._extend(keys=[self.keys.leases], args=[self.lease_ttl, *self.held]))

    def requeue_expired(self) -> list[str]:
        """Puts the requests of expired leases (of dead or stalled workers) back in the queue; their tokens."""
        k = self.keys
        moved = self._requeue(keys=[k.queue, k.leases, k.leased, k.stats], args=["expired"])
        return [t.decode() if isinstance(t, bytes) else t for t in moved]

    def requeue_held(self) -> int:
        """Gives this process's leases back to the queue at once (a clean stop before the work was done)."""
        if not self.held:
            return 0
        k = self.keys
        moved = self._requeue(keys=[k.queue, k.leases, k.leased, k.stats], args=["given", *self.held])
        self.held.clear()
        return len(moved)

    def counts(self) -> tuple[int, int]:
        """(queued requests, leases in flight) over the whole fleet."""
        with self.server.pipeline(transaction=False) as pipe:
            pipe.zcard(self.keys.queue).zcard(self.keys.leases)
            queued, leased = pipe.execute()
        return int(queued), int(leased)

    # -- the crawl -----------------------------------------------------------------------------------

    def begin(self, roots: list[str], now: str) -> tuple[str, int]:
        """Starts a new crawl generation over ``roots`` (clearing the seen set) unless one is running,
        which is then joined (its roots extended); the notes on the sites of the generation before are
        kept (``previous_site_notes``). Returns ("started" | "joined", generation)."""
        k = self.keys
        outcome, generation = self._begin(keys=[k.meta, k.queue, k.leases, k.leased, k.seen, k.sites, k.last_sites], args=[json.dumps(roots), now])
        return _text(outcome), int(generation)

    def mark_done(self, now: str) -> bool:
        """Records that the crawl ended (nothing queued, nothing in flight); False if it had not."""
        k = self.keys
        return bool(self._done(keys=[k.meta, k.queue, k.leases], args=[now]))

    def meta(self) -> dict:
        raw = {_text(a): _text(b) for a, b in self.server.hgetall(self.keys.meta).items()}
        raw["roots"] = json.loads(raw.get("roots") or "[]")
        return raw

    # -- what the fleet learned of its sites (crawler/fleet/sites.py) ------------------------------------

    def note_site(self, note: str, site: str, value: str = "1") -> None:
        self.server.hset(self.keys.sites, f"{note}/{site}", value)

    def site_note(self, note: str, site: str) -> str | None:
        value = self.server.hget(self.keys.sites, f"{note}/{site}")
        return None if value is None else _text(value)

    def site_notes(self, note: str, *, previous: bool = False) -> dict[str, str]:
        """``{site: value}`` of every site with ``note`` in this generation (``previous``: the one before)."""
        prefix = f"{note}/"
        notes = self.server.hgetall(self.keys.last_sites if previous else self.keys.sites)
        return {key[len(prefix):]: _text(value) for key, value in
                ((_text(k), v) for k, v in notes.items()) if key.startswith(prefix)}

    def mark_seen(self, fingerprints: list[str]) -> None:
        """Adds these request fingerprints to the seen set: requests for them are dropped as duplicates."""
        for i in range(0, len(fingerprints), 500):
            self.server.sadd(self.keys.seen, *fingerprints[i : i + 500])

    # -- workers -------------------------------------------------------------------------------------

    def register(self, info: dict) -> None:
        self.server.hset(self.keys.workers, self.worker_id, json.dumps(info))
        self.beat()

    def beat(self) -> None:
        self.server.set(self.keys.alive(self.worker_id), b"1", px=int(self.lease_ttl * 1000))

    def unregister(self) -> None:
        with self.server.pipeline(transaction=True) as pipe:
            pipe.hdel(self.keys.workers, self.worker_id).delete(self.keys.alive(self.worker_id))
            pipe.execute()

    def lost_workers(self) -> list[dict]:
        """Workers whose heartbeat stopped (killed, machine gone): removed from the registry and returned
        (each one to exactly one caller)."""
        lost = []
        for worker, info in self.server.hgetall(self.keys.workers).items():
            worker = _text(worker)
            if worker == self.worker_id or self.server.exists(self.keys.alive(worker)):
                continue
            if self.server.hdel(self.keys.workers, worker):
                self.server.hincrby(self.keys.stats, "workers_lost", 1)
                lost.append({"worker": worker, **json.loads(_text(info))})
        return lost

    def status(self) -> dict:
        """What ``blogcrawl worker --status`` prints."""
        k = self.keys
        queued, leased = self.counts()
        workers = {_text(w): json.loads(_text(i)) for w, i in self.server.hgetall(k.workers).items()}
        for worker, info in workers.items():
            info["alive"] = bool(self.server.exists(k.alive(worker)))
        return {
            "prefix": k.prefix, **self.meta(), "queued": queued, "in_flight": leased,
            "seen": int(self.server.scard(k.seen)), "workers": workers,
            "stats": {_text(a): int(b) for a, b in self.server.hgetall(k.stats).items()},
        }


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
