"""The first schema (commit e1d4463): articles, article_urls, frontier, runs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)  # models.UTCDateTime
WALL_DATETIME = sa.String(40)  # models.WallDateTime: ISO 8601 text


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False, unique=True),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", WALL_DATETIME),
        sa.Column("modified", WALL_DATETIME),
        sa.Column("date_source", sa.String(16)),
        sa.Column("language", sa.String(16)),
        sa.Column("sitename", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("fetched_at", UTC_DATETIME, nullable=False),
        sa.Column("first_seen", UTC_DATETIME, nullable=False),
        sa.Column("gone_at", UTC_DATETIME),
        sa.Column("etag", sa.String(255)),
        sa.Column("last_modified", sa.String(64)),
    )
    op.create_index("ix_articles_site", "articles", ["site"])
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "article_urls",
        sa.Column("url", sa.String(2048), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_article_urls_article_id", "article_urls", ["article_id"])
    op.create_table(
        "frontier",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url_key", sa.String(2048), nullable=False, unique=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("depth", sa.Integer, nullable=False),
        sa.Column("query_depth", sa.Integer, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("lastmod", sa.String(64)),
        sa.Column("fetched_at", UTC_DATETIME),
        sa.Column("etag", sa.String(255)),
        sa.Column("last_modified", sa.String(64)),
    )
    op.create_index("ix_frontier_state", "frontier", ["state", "priority", "id"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", UTC_DATETIME, nullable=False),
        sa.Column("ended_at", UTC_DATETIME),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("roots", sa.JSON, nullable=False),
        sa.Column("stats", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("runs", "frontier", "article_urls", "articles"):
        op.drop_table(table)
