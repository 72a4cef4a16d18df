"""Near-duplicate lookup cost as the store grows: time per article at 10k, 100k (and 1M) signatures.

    python bench/neardup_lookup.py [--full] [--sizes 10000,100000] [--queries 200] [--no-postgres]

Fills a fresh store (SQLite in a temporary directory, and a throw-away PostgreSQL database on
127.0.0.1:5432 when it answers) with article rows, their MinHash signatures and LSH band rows, and at
each size looks up near-duplicates the way ingest does (``signatures.matches``: band candidates, then
verification). Queries are half edited copies of articles stored at the start (they must be found) and
half new texts (nothing to find). Filler rows get random hash values and random band hashes, which is
what real signatures of unrelated texts look like to the index; the queried articles are real MinHash
signatures of generated text. ``--full`` goes to 1,000,000 signatures (32 million band rows: several
minutes and ~1.5 GB of disk per backend). Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.storage import signatures  # noqa: E402
from pipelines.storage.engine import make_engine, make_sessionmaker  # noqa: E402
from pipelines.storage.signatures import Signature  # noqa: E402

NOW = datetime(2024, 3, 15, tzinfo=timezone.utc)
PLANTED = 100  # real articles stored first; their edited copies are half the queries
WORDS = [f"w{i}" for i in range(5000)]


def text(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def edited(body: str, seed: int) -> str:
    rng = random.Random(seed)
    words = body.split()
    for _ in range(8):
        words[rng.randrange(len(words))] = "edited"
    return " ".join(words)


class Filler:
    """Writes article, signature and band rows with the backend's fastest bulk path."""

    def __init__(self, engine):
        self.engine = engine
        self.backend = engine.dialect.name
        self.next_id = 1

    def add_real(self, bodies: list[str]) -> None:
        rows, sig_rows, band_rows = [], [], []
        for body in bodies:
            sig = Signature.of(body)
            rows.append(self._article(self.next_id))
            sig_rows.append((self.next_id, sig.to_bytes(), sig.shingles))
            band_rows.extend((band, value, self.next_id) for band, value in sig.bands())
            self.next_id += 1
        self._write(rows, sig_rows, band_rows)

    def add_random(self, count: int, rng: np.random.Generator, batch: int = 50_000) -> None:
        while count > 0:
            n = min(batch, count)
            ids = range(self.next_id, self.next_id + n)
            values = rng.integers(0, 2**32, size=(n, signatures.NUM_PERM), dtype=np.uint32).astype("<u4")
            hashes = rng.integers(-(2**63), 2**63 - 1, size=(n, signatures.BANDS), dtype=np.int64)
            rows = [self._article(i) for i in ids]
            sig_rows = [(i, values[k].tobytes(), 400) for k, i in enumerate(ids)]
            band_rows = sorted((b, int(hashes[k, b]), i) for k, i in enumerate(ids) for b in range(signatures.BANDS))
            self._write(rows, sig_rows, band_rows)
            self.next_id += n
            count -= n

    @staticmethod
    def _article(i: int) -> tuple:
        return (i, f"http://bench{i % 97}.example/p/{i}/", f"bench{i % 97}.example", "", f"{i:064x}", NOW, NOW)

    def _write(self, rows, sig_rows, band_rows) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.backend == "postgresql":
                with cursor.copy("COPY articles (id, url, site, text, content_hash, fetched_at, first_seen) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                with cursor.copy("COPY signatures (article_id, minhash, shingles) FROM STDIN") as copy:
                    for row in sig_rows:
                        copy.write_row(row)
                with cursor.copy("COPY signature_bands (band, hash, article_id) FROM STDIN") as copy:
                    for row in band_rows:
                        copy.write_row(row)
            else:
                cursor.execute("PRAGMA cache_size=-524288")  # 512 MB: bulk inserts into the band index
                sqlite_rows = [(*r[:5], r[5].replace(tzinfo=None).isoformat(" "), r[6].replace(tzinfo=None).isoformat(" ")) for r in rows]
                cursor.executemany("INSERT INTO articles (id, url, site, text, content_hash, fetched_at, first_seen) VALUES (?,?,?,?,?,?,?)", sqlite_rows)
                cursor.executemany("INSERT INTO signatures (article_id, minhash, shingles) VALUES (?,?,?)", sig_rows)
                cursor.executemany("INSERT INTO signature_bands (band, hash, article_id) VALUES (?,?,?)", band_rows)
            raw.commit()
        finally:
            raw.close()


def measure(sessions, queries: list[tuple[Signature, bool]]) -> dict:
    times, found, candidates = [], 0, []
    with sessions() as session:
        for sig, expect in queries:
            start = time.perf_counter()
            matches = signatures.matches(session, sig)
            times.append(time.perf_counter() - start)
            candidates.append(len(signatures.candidates(session, sig)))
            found += bool(matches) == expect
    return {
        "mean_ms": 1000 * statistics.fmean(times), "p50_ms": 1000 * statistics.median(times),
        "p95_ms": 1000 * sorted(times)[int(len(times) * 0.95) - 1], "correct": found / len(queries),
        "candidates": statistics.fmean(candidates),
    }


def run_backend(name: str, db_url: str, sizes: list[int], queries: int) -> None:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    filler = Filler(engine)
    bodies = [text(i) for i in range(PLANTED)]
    filler.add_real(bodies)
    rng = np.random.default_rng(7)
    query_sigs = [(Signature.of(edited(bodies[i % PLANTED], i)), True) for i in range(queries // 2)]
    query_sigs += [(Signature.of(text(10_000_000 + i)), False) for i in range(queries - queries // 2)]
    started = time.perf_counter()
    for size in sizes:
        filler.add_random(size - (filler.next_id - 1), rng)
        filled = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        measure(sessions, query_sigs[:10])  # warm the caches
        figures = measure(sessions, query_sigs)
        print(f"{name:10} {size:>9,} signatures ({size * signatures.BANDS:>11,} band rows, filled in {filled:6.1f}s): "
              f"lookup {figures['mean_ms']:6.2f} ms/article (p50 {figures['p50_ms']:.2f}, p95 {figures['p95_ms']:.2f}), "
              f"{figures['candidates']:.2f} candidates, {figures['correct']:.0%} correct", flush=True)
    engine.dispose()


def postgres_database():
    """A throw-away database on 127.0.0.1:5432, or None when the server does not answer."""
    try:
        import psycopg

        admin = psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        print(f"postgresql: skipped ({str(exc).strip().splitlines()[0]})")
        return None
    name = f"blogcrawl_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="go to 1,000,000 signatures")
    parser.add_argument("--sizes", help="comma-separated store sizes (default 10000,100000; with --full also 1000000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [10_000, 100_000] + ([1_000_000] if args.full else [])
    sig_start = time.perf_counter()
    for i in range(200):
        Signature.of(text(i))
    print(f"signature of a 400-word text: {1000 * (time.perf_counter() - sig_start) / 200:.2f} ms "
          f"(num_perm={signatures.NUM_PERM}, {signatures.SHINGLE}-word shingles, {signatures.BANDS} bands x {signatures.ROWS} rows)")
    with tempfile.TemporaryDirectory() as tmp:
        run_backend("sqlite", f"sqlite:///{tmp}/bench.sqlite3", sizes, args.queries)
    pg = None if args.no_postgres else postgres_database()
    if pg is not None:
        admin, name = pg
        try:
            run_backend("postgresql", f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", sizes, args.queries)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


if __name__ == "__main__":
    main()
