"""A throw-away PostgreSQL database for tests, on the server at 127.0.0.1:5432 (trust auth, user postgres).

Tests using ``pg_database`` skip with the reason when the server cannot be reached, except under CI
(``CI=true``), where a missing service is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_ADMIN = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "test"}


def admin_connection():
    """An autocommit connection to the admin database, or skip/fail the test when unreachable."""
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(**PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL not reachable on 127.0.0.1:5432: {str(exc).strip().splitlines()[0]}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: the service must run)")
        pytest.skip(reason)


def terminate_backends(admin, database: str, application_name: str | None = None) -> int:
    """Kills every connection to ``database`` (of that application only, if given); returns how many."""
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        " AND (%s::text IS NULL OR application_name = %s::text)",
        (database, application_name, application_name),
    ).fetchall()
    return sum(1 for (killed,) in rows if killed)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """The name of a fresh, empty database, dropped afterwards."""
    admin = admin_connection()
    name = f"blogcrawl_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        terminate_backends(admin, name)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
