"""Alembic environment: runs on the connection that ``pipelines.storage.schema`` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pipelines.storage.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # the alembic command line: ``-x db=URL`` or sqlalchemy.url
        url = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option("sqlalchemy.url")
        with create_engine(url).connect() as connection:
            _run(connection)
            connection.commit()
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("blogcrawl migrations run online only (blogcrawl db upgrade)")
run_migrations()
