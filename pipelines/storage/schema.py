"""The store's schema version: bring any store to the current schema with the shipped Alembic migrations.

Three kinds of store reach ``upgrade``:

- a new (empty) database: the tables are created from the models and stamped with the head revision
  (``tests/test_migrations.py`` checks this gives the same schema as running every migration);
- a store made before migrations existed (tables, no ``alembic_version``): stamped 0001, the first
  schema, then upgraded (each revision adds only what is missing, so a store made by a later
  ``create_all`` is upgraded correctly too);
- a versioned store: upgraded from its revision to the head.

On PostgreSQL an advisory lock makes concurrent upgrades (several crawl processes starting) wait for
each other; the second one finds the store at the head and does nothing.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from .models import Base

LOGGER = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"
HEAD = "0009"  # the newest revision in migrations/versions (a test checks): a store at HEAD needs no Alembic
_LOCK_KEY = int.from_bytes(hashlib.sha256(b"blogcrawl-schema").digest()[:8], "big", signed=True)


def alembic_config(connection: Connection | None = None):
    """An Alembic configuration built in code (the migrations ship inside the package)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision of the shipped migrations (the one of the current models)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(connection: Connection) -> str | None:
    """The store's revision; ``None`` for an unversioned store (empty, or made before migrations)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Brings the store to the head revision; returns (revision before, revision after)."""
    target = HEAD
    with engine.connect() as connection:
        before = current(connection)
        connection.rollback()
        if before == target:
            return before, target
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        sqlite = connection.dialect.name == "sqlite"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
            connection.commit()
        if sqlite:  # a copied table must not cascade-delete its children (batch mode recreates tables)
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            before = current(connection)
            if before != target:
                _upgrade(connection, before, target)
            connection.commit()
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                connection.commit()
    return before, target


def _upgrade(connection: Connection, before: str | None, target: str) -> None:
    from alembic import command

    config = alembic_config(connection)
    if before is None and "articles" not in inspect(connection).get_table_names():
        LOGGER.info("new store: creating the schema at revision %s", target)
        Base.metadata.create_all(connection)
        command.stamp(config, "head")
        return
    if before is None:
        LOGGER.warning("store without a schema version: taking it as revision %s and upgrading", FIRST)
        command.stamp(config, FIRST)
    LOGGER.warning("upgrading the store's schema from revision %s to %s", before or FIRST, target)
    command.upgrade(config, "head")
