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


# -- the new-run re-check: one statement, read by site, no subquery per row ------------------------------

def _fetched_pages_store(tmp_path):
    """Two sites' fetched pages; one post of site a stored twice by run 2 (changed), one once."""
    from datetime import datetime, timezone

    from pipelines.storage.models import Article, CrawlRun, Revision

    store = Store(f"sqlite:///{tmp_path}/recheck.sqlite3")
    day = lambda n: datetime(2026, 1, n, tzinfo=timezone.utc)  # noqa: E731
    with store.begin() as session:
        session.add_all([CrawlRun(id=1, started_at=day(1), roots=[]), CrawlRun(id=2, started_at=day(2), roots=[])])
        urls = [frontier.NewUrl(f"http://{s}.example/p/{i}/", f"http://{s}.example/p/{i}/", f"{s}.example") for s in "ab" for i in range(30)]
        frontier.add_urls(session, urls, 2)
        session.execute(frontier.update(frontier.FrontierUrl).values(state=frontier.DONE))
        for i, versions in ((0, 2), (1, 1)):
            url = f"http://a.example/p/{i}/"
            article = Article(url=url, site="a.example", text="x", content_hash=f"h{i}", fetched_at=day(2), first_seen=day(1), run_id=2)
            session.add(article)
            session.flush()
            session.add_all([Revision(article_id=article.id, fetched_at=day(2 - n), content_hash=f"h{i}{n}", text="x")
                             for n in range(versions)])
    return store


def test_recheck_reads_a_sites_pages_by_index_in_one_statement(tmp_path):
    store = _fetched_pages_store(tmp_path)
    meter = _Meter(store.engine)
    try:
        with store.begin() as session:
            meter.on = True
            rows = frontier.fetched_pages(session, ["a.example"])
            meter.on = False
            statement = _fetched_pages_statement(session, ["a.example"])
            plan = _plan(session, statement)
        assert meter.statements == 1
        assert "ix_frontier_site" in plan, plan  # not a scan of every site's frontier rows
        assert "CORRELATED" not in plan, plan  # the revisions are grouped once, not counted per row
        changed = {urlsplit_path(row[1]): bool(row[7]) for row in rows}
        assert len(rows) == 30 and changed["/p/0/"] and not changed["/p/1/"] and not changed["/p/2/"]
    finally:
        store.close()


def _fetched_pages_statement(session, sites):
    """The statement ``frontier.fetched_pages`` runs (captured, not run)."""
    captured = []

    class Capture:
        def execute(self, statement):
            captured.append(statement)
            return type("R", (), {"all": lambda self: []})()

    frontier.fetched_pages(Capture(), sites)
    return captured[0]


def urlsplit_path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path
