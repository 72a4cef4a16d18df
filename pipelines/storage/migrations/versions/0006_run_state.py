"""Run state in the store: the site_state table (policy state per site), frontier.hints (feed dates),
runs.reason (why a failed run failed).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "site_state" not in set(inspector.get_table_names()):
        op.create_table(
            "site_state",
            sa.Column("site", sa.String(255), primary_key=True),
            sa.Column("name", sa.String(64), primary_key=True),
            sa.Column("value", sa.JSON, nullable=False),
        )
    if "hints" not in {c["name"] for c in inspector.get_columns("frontier")}:
        with op.batch_alter_table("frontier") as batch:
            batch.add_column(sa.Column("hints", sa.JSON, nullable=True))
    if "reason" not in {c["name"] for c in inspector.get_columns("runs")}:
        with op.batch_alter_table("runs") as batch:
            batch.add_column(sa.Column("reason", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("reason")
    with op.batch_alter_table("frontier") as batch:
        batch.drop_column("hints")
    op.drop_table("site_state")
