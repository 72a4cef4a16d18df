"""Embed-only posts: articles.kind ("embed" for a video/image post whose text is its embed URLs).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "kind" not in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("articles")}:
        with op.batch_alter_table("articles") as batch:
            batch.add_column(sa.Column("kind", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("kind")
