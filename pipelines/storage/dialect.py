"""Dialect-specific INSERT constructs (``ON CONFLICT``) for the backends the store supports."""

from __future__ import annotations

from sqlalchemy.orm import Session


def insert_for(session: Session, model):
    """An ``insert(model)`` that knows ``on_conflict_do_nothing/do_update`` for the session's backend."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise NotImplementedError(f"no upsert support for the {name!r} backend")
    return insert(model)
