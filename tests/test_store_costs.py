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
