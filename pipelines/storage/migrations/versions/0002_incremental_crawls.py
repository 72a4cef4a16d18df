"""Incremental crawls (commit 7293c33): articles.run_id, frontier.body_hash and sitemap_run, revisions.

Revision ID: 0002
Revises: 0001

Stores made by ``create_all`` before migrations existed are stamped 0001 and upgraded from there, so
each step adds only what is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    if "run_id" not in _columns("articles"):
        with op.batch_alter_table("articles") as batch:
            batch.add_column(sa.Column("run_id", sa.Integer))
    missing = [name for name in ("body_hash", "sitemap_run") if name not in _columns("frontier")]
    if missing:
        with op.batch_alter_table("frontier") as batch:
            if "body_hash" in missing:
                batch.add_column(sa.Column("body_hash", sa.String(64)))
            if "sitemap_run" in missing:
                batch.add_column(sa.Column("sitemap_run", sa.Integer))
    if "revisions" not in _tables():
        op.create_table(
            "revisions",
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
            sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("title", sa.Text),
            sa.Column("text", sa.Text, nullable=False),
        )
        op.create_index("ix_revisions_article_id", "revisions", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_revisions_article_id", "revisions")
    op.drop_table("revisions")
    with op.batch_alter_table("frontier") as batch:
        batch.drop_column("sitemap_run")
        batch.drop_column("body_hash")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("run_id")
