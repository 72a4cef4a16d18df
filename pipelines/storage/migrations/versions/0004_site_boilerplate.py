"""Per-site boilerplate learning: the site_lines table.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "site_lines" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "site_lines",
        sa.Column("site", sa.String(255), primary_key=True),
        sa.Column("line_hash", sa.String(32), primary_key=True),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("boilerplate", sa.Boolean, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_lines")
