"""Costs flat in the store's size: the frontier claim's index, and per-site article counts.

The frontier claim reads pending rows in its order (state, priority DESC, id) off one index.

``ix_frontier_state`` (state, priority, id) served the ``state = 'pending'`` filter but not the
``ORDER BY priority DESC, id``: each claim sorted every pending row (a temporary B-tree), a cost that grew
with the frontier. ``ix_frontier_claim`` replaces it (it serves the state probes too).

``site_counts`` holds each site's number of article rows (boilerplate learning read it as a count(*)
of the site's articles for every new article); filled from the articles stored so far.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _indexes() -> set[str]:
    return {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("frontier")}


def upgrade() -> None:
    if "site_counts" not in set(sa.inspect(op.get_bind()).get_table_names()):
        op.create_table(
            "site_counts",
            sa.Column("site", sa.String(255), primary_key=True),
            sa.Column("articles", sa.Integer, nullable=False),
        )
        op.execute("INSERT INTO site_counts (site, articles) SELECT site, count(*) FROM articles GROUP BY site")
    names = _indexes()
    if "ix_frontier_claim" not in names:
        op.create_index("ix_frontier_claim", "frontier", ["state", sa.text("priority DESC"), "id"])
    if "ix_frontier_state" in names:
        op.drop_index("ix_frontier_state", table_name="frontier")


def downgrade() -> None:
    op.drop_table("site_counts")
    op.create_index("ix_frontier_state", "frontier", ["state", "priority", "id"])
    op.drop_index("ix_frontier_claim", table_name="frontier")
