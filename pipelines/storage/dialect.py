"""Dialect-specific INSERT constructs (``ON CONFLICT``) for the backends the store supports."""

from __future__ import annotations

from sqlalchemy.orm import Session


def insert_for(session: Session, model):
    """An ``insert(model)`` that knows ``on_conflict_do_nothing/do_update`` for the session's backend.

    Hot paths pass the model's ``__table__`` and the rows as ``session.execute(stmt, rows)``: a Core
    statement without bound values, compiled once and cached, executed for many rows (no ORM bulk path,
    no per-call compilation of a multi-row VALUES)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        raise NotImplementedError(f"no upsert support for the {name!r} backend")
    return insert(model)
