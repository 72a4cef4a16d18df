"""The response journal: response_journal holds page responses fetched and not yet stored (and the run's
robots.txt answers), so that a crawl killed with kill -9 resumes without fetching them again.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "response_journal" not in set(sa.inspect(op.get_bind()).get_table_names()):
        op.create_table(
            "response_journal",
            sa.Column("url_key", sa.String(2048), primary_key=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("url", sa.String(2048), nullable=False),
            sa.Column("status", sa.Integer, nullable=False),
            sa.Column("headers", sa.JSON, nullable=False),
            sa.Column("body", sa.LargeBinary, nullable=False),
            sa.Column("codec", sa.String(16), nullable=True),
            sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False)  # models.UTCDateTime,
        )


def downgrade() -> None:
    op.drop_table("response_journal")
