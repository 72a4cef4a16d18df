"""Schema migrations: a new store and a migrated one have the same schema, and a store made by the first
schema version (commit e1d4463), versioned or not, is upgraded with every row kept and works."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from crawl_helpers import blogcrawl, export_records
from crawler.urls import canonicalize
from pg_helpers import pg_database  # noqa: F401  (fixture)
from pipelines.storage import schema
from pipelines.storage.engine import make_engine
from pipelines.storage.models import Base


def _pg_url(name: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _dump(engine) -> dict:
    """Tables, columns (name, type, nullable), indexes, unique constraints and foreign keys."""
    insp = inspect(engine)
    out = {}
    for table in sorted(insp.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
            "pk": sorted(insp.get_pk_constraint(table)["constrained_columns"]),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(table)),
            "fks": sorted((tuple(f["constrained_columns"]), f["referred_table"], f.get("options", {}).get("ondelete"))
                          for f in insp.get_foreign_keys(table)),
        }
    return out


def _diff(engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)


def _migrate_to(engine, revision: str) -> None:
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), revision)


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request, tmp_path):
    """URLs of two empty stores on the same backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/a.sqlite3", f"sqlite:///{tmp_path}/b.sqlite3"
        return
    a = request.getfixturevalue("pg_database")
    from pg_helpers import admin_connection

    admin = admin_connection()
    b = a + "_b"
    admin.execute(f'CREATE DATABASE "{b}"')
    try:
        yield _pg_url(a), _pg_url(b)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{b}" WITH (FORCE)')
        admin.close()


def test_head_constant_is_the_newest_migration():
    assert schema.HEAD == schema.head()


def test_new_store_and_migrated_store_have_the_models_schema(two_stores):
    created_url, migrated_url = two_stores
    created = make_engine(created_url)  # create_all + stamp head
    migrated = create_engine(migrated_url)
    _migrate_to(migrated, "head")  # 0001 -> 0002 -> 0003
    try:
        assert _diff(created) == []
        assert _diff(migrated) == []
        assert _dump(created) == _dump(migrated)
        for engine in (created, migrated):
            with engine.connect() as connection:
                assert schema.current(connection) == schema.head()
    finally:
        created.dispose()
        migrated.dispose()


NOW = datetime(2024, 3, 10, 12, 0, tzinfo=timezone.utc)


def _first_schema_store(db_url: str, *, versioned: bool) -> None:
    """A store as the first schema (e1d4463) made it, with rows in every table."""
    engine = create_engine(db_url)
    _migrate_to(engine, schema.FIRST)
    with engine.begin() as connection:
        assert "run_id" not in {c["name"] for c in inspect(connection).get_columns("articles")}
        for i, (url, published) in enumerate([
            ("http://old.example/2023/01/first-post/", "2023-01-05T10:00:00+00:00"),
            ("http://old.example/2023/02/second-post/", "2023-02-07T00:00:00"),
        ], start=1):
            connection.execute(text(
                "INSERT INTO articles (id, url, site, title, author, published, language, text, content_hash,"
                " fetched_at, first_seen) VALUES (:id, :url, 'old.example', :title, 'Old Author', :published, 'en',"
                " :text, :hash, :now, :now)"),
                {"id": i, "url": url, "title": f"Old post {i}", "published": published,
                 "text": f"Body of old post {i}.\nSecond paragraph {i}.", "hash": f"{i:064d}", "now": NOW})
        connection.execute(text("INSERT INTO article_urls (url, article_id) VALUES"
                                " ('http://old.example/?p=1', 1), ('http://old.example/2023/01/first-post/amp/', 1)"))
        connection.execute(text(
            "INSERT INTO frontier (url_key, url, site, kind, state, depth, query_depth, priority, status, fetched_at, etag)"
            " VALUES ('http://old.example/2023/01/first-post/', 'http://old.example/2023/01/first-post/', 'old.example',"
            " 'page', 'done', 1, 0, 10, 200, :now, '\"e1\"'),"
            " ('http://old.example/private/x/', 'http://old.example/private/x/', 'old.example',"
            " 'page', 'skipped', 1, 0, 10, NULL, NULL, NULL)"), {"now": NOW})  # no pending row: nothing to fetch there
        connection.execute(text(
            "INSERT INTO runs (started_at, ended_at, status, roots, stats) VALUES (:now, :now, 'finished', :roots, :stats)"),
            {"now": NOW, "roots": json.dumps(["http://old.example/"]), "stats": json.dumps({"storage/new": 2})})
        if not versioned:  # made by create_all before migrations existed
            connection.execute(text("DROP TABLE alembic_version"))
    engine.dispose()


def _counts(db_url: str) -> dict:
    engine = create_engine(db_url)
    with engine.connect() as connection:
        counts = {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("articles", "article_urls", "frontier", "runs")}
        counts["frontier_states"] = sorted(connection.execute(text("SELECT url_key, state, etag FROM frontier")).all())
        counts["runs_rows"] = [tuple(r) for r in connection.execute(text("SELECT status, roots, stats FROM runs")).all()]
    engine.dispose()
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("versioned", [True, False], ids=["alembic-0001", "create_all-before-migrations"])
def test_first_schema_store_is_upgraded_keeping_every_row(tmp_path, versioned, site_en):
    db_url = f"sqlite:///{tmp_path}/old.sqlite3"
    _first_schema_store(db_url, versioned=versioned)
    before = _counts(db_url)

    result = blogcrawl("db", "upgrade", "--db", db_url)
    assert result.returncode == 0, result.stderr
    assert f"to {schema.head()}" in result.stdout
    assert _counts(db_url) == before
    engine = create_engine(db_url)
    assert _diff(engine) == []
    engine.dispose()
    assert blogcrawl("db", "upgrade", "--db", db_url).stdout.strip().endswith(f"already at revision {schema.head()}")

    records = {r["url"]: r for r in export_records(db_url)}
    assert set(records) == {"http://old.example/2023/01/first-post/", "http://old.example/2023/02/second-post/"}
    first = records["http://old.example/2023/01/first-post/"]
    assert (first["title"], first["author"], first["published"]) == ("Old post 1", "Old Author", "2023-01-05T10:00:00+00:00")
    assert records["http://old.example/2023/02/second-post/"]["published"] == "2023-02-07T00:00:00"

    # the app works on it: a crawl adds the bundled blog's posts next to the old ones
    result = blogcrawl("crawl", site_en.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    urls = {r["url"] for r in export_records(db_url)}
    assert set(records) < urls and len(urls) == len(records) + 3


@pytest.mark.slow
def test_crawl_upgrades_an_old_store_on_start(tmp_path, site_en):
    db_url = f"sqlite:///{tmp_path}/old.sqlite3"
    _first_schema_store(db_url, versioned=False)
    result = blogcrawl("crawl", site_en.base_url, "--db", db_url, "--log-level", "WARNING")
    assert result.returncode == 0, result.stderr[-3000:]
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert schema.current(connection) == schema.head()
    engine.dispose()
    assert len(export_records(db_url)) == 5


def test_first_schema_store_on_postgresql_is_upgraded(pg_database):  # noqa: F811
    db_url = _pg_url(pg_database)
    _first_schema_store(db_url, versioned=False)
    before = _counts(db_url)
    engine = make_engine(db_url)  # what every command does on start
    engine.dispose()
    assert _counts(db_url) == before
    engine = create_engine(db_url)
    assert _diff(engine) == []
    engine.dispose()
    assert {canonicalize(r["url"]) for r in export_records(db_url)} == {
        "http://old.example/2023/01/first-post/", "http://old.example/2023/02/second-post/"}
