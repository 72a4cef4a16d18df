"""Near-duplicates: articles.copy_of_id, MinHash signatures and their LSH band index.

Revision ID: 0003
Revises: 0002

Existing articles get no signature: they are not near-duplicate candidates until they are stored again
(``blogcrawl reextract`` over an archive, or a crawl that sees them change).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if "copy_of_id" not in {c["name"] for c in inspector.get_columns("articles")}:
        with op.batch_alter_table("articles") as batch:
            batch.add_column(sa.Column("copy_of_id", sa.Integer))
            batch.create_index("ix_articles_copy_of_id", ["copy_of_id"])
    tables = set(inspector.get_table_names())
    if "signatures" not in tables:
        op.create_table(
            "signatures",
            sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
            sa.Column("minhash", sa.LargeBinary, nullable=False),
            sa.Column("shingles", sa.Integer, nullable=False),
            sa.Column("canonical_key", sa.String(2048)),
        )
    if "signature_bands" not in tables:
        op.create_table(
            "signature_bands",
            sa.Column("band", sa.SmallInteger, primary_key=True),
            sa.Column("hash", sa.BigInteger, primary_key=True),
            sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        )
        op.create_index("ix_signature_bands_article_id", "signature_bands", ["article_id"])


def downgrade() -> None:
    op.drop_table("signature_bands")
    op.drop_table("signatures")
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_copy_of_id")
        batch.drop_column("copy_of_id")
