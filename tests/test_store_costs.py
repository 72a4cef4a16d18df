"""What one page costs the store does not grow with the store: the claim reads the frontier in index
order (no sort of the pending rows), and storing an article runs as many statements whatever the store
holds (counted, not timed)."""

from __future__ import annotations

from sqlalchemy import text

from pipelines.storage import frontier
from pipelines.storage.store import Store


def _plan(session, statement) -> str:
    compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    return "\n".join(str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))


def test_claim_reads_pending_rows_in_index_order(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/plan.sqlite3")
    try:
        with store.begin() as session:
            urls = [frontier.NewUrl(f"http://a.example/p/{i}/", f"http://a.example/p/{i}/", "a.example", priority=i % 3)
                    for i in range(50)]
            frontier.add_urls(session, urls, 1)
            plan = _plan(session, frontier.claim_query(8))
            claimed = frontier.claim(session, 8, 1)
        assert "ix_frontier_claim" in plan and "TEMP B-TREE" not in plan, plan
        assert [r.priority for r in claimed] == [2] * 8
        assert [r.id for r in claimed] == sorted(r.id for r in claimed)  # oldest first within a priority
    finally:
        store.close()


# -- storing one article: the same work at two store sizes ---------------------------------------------

WORDS = ("river bread garden window market bridge letter morning winter engine music paper station harbour "
         "lantern orchard meadow canyon pillow violin thunder marble feather candle ladder copper island").split()


def _text(seed: int) -> str:
    import random

    rng = random.Random(seed)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))) + "." for _ in range(30)]
    return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


def _item(i: int):
    from datetime import datetime, timezone

    from crawler.items import ArticleItem

    url = f"http://a.example/2024/01/post-{i}/"
    return ArticleItem(url=url, fetched_url=url, site="a.example", title=f"Post {i}", text=_text(i),
                       fetched_at=datetime(2024, 3, 1, tzinfo=timezone.utc), frontier_keys=[url])


class _Meter:
    """Statements and SQLite VM instructions (in hundreds) run on one connection: counts, not times."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.statements = self.steps = 0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._statement)

    def watch(self, session) -> None:
        session.connection().connection.driver_connection.set_progress_handler(self._step, 100)

    def _step(self) -> int:
        self.steps += self.on
        return 0

    def _statement(self, *args) -> None:
        self.statements += self.on


def _cost_of_one_more(tmp_path, stored: int) -> tuple[int, int]:
    from pipelines.writer import ArticleWriter

    store = Store(f"sqlite:///{tmp_path}/cost-{stored}.sqlite3")
    meter = _Meter(store.engine)
    writer = ArticleWriter()
    try:
        with store.begin() as session:
            for i in range(stored):
                writer.write(session, _item(i), run_id=1)
        with store.begin() as session:
            meter.watch(session)
            meter.on = True
            written = writer.write(session, _item(10_000), run_id=1)
            meter.on = False
        assert written.outcome == "new"
        return meter.statements, meter.steps
    finally:
        store.close()


def test_storing_an_article_costs_the_same_in_a_larger_store(tmp_path):
    small_statements, small_steps = _cost_of_one_more(tmp_path, 40)
    large_statements, large_steps = _cost_of_one_more(tmp_path, 400)
    assert large_statements == small_statements
    assert large_steps <= small_steps * 1.25, (small_steps, large_steps)


def test_storing_a_new_article_reads_the_articles_table_twice(tmp_path):
    """Its row once (by URL or alias) and the content-hash lookup: the id it gets is passed along, not
    looked up again by URL for the aliases, the revision and the near-duplicate index."""
    from sqlalchemy import event

    from pipelines.writer import ArticleWriter

    store = Store(f"sqlite:///{tmp_path}/reads.sqlite3")
    reads: list[str] = []
    watching = False

    def statement(conn, cursor, sql, *args) -> None:
        if watching and sql.lstrip().upper().startswith("SELECT") and "FROM articles" in sql:
            reads.append(sql)

    event.listen(store.engine, "before_cursor_execute", statement)
    try:
        writer = ArticleWriter()
        with store.begin() as session:
            writer.write(session, _item(1), run_id=1)
        with store.begin() as session:
            watching = True
            written = writer.write(session, _item(2), run_id=1)
            watching = False
        assert written.outcome == "new"
        assert len(reads) == 2, reads
    finally:
        store.close()
