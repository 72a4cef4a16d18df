"""frontier.site indexed: ``ix_frontier_site`` (site, kind, state). The new-run re-check reads the fetched
pages of the sites without sitemaps (``frontier.fetched_pages``); without it each run scanned the frontier.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "ix_frontier_site" not in {index["name"] for index in sa.inspect(op.get_bind()).get_indexes("frontier")}:
        op.create_index("ix_frontier_site", "frontier", ["site", "kind", "state"])


def downgrade() -> None:
    op.drop_index("ix_frontier_site", table_name="frontier")
