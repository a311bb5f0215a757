"""Dialect-aware statements the repositories share: insert-if-absent for idempotent writes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Session


def insert_if_absent(
    session: Session, model: type[DeclarativeBase], values: dict[str, Any]
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted.

    No conflict target is named, so any unique constraint or unique index of the table
    (including partial ones) turns a concurrent duplicate into a no-op; the caller then
    SELECTs the row that won. Safe under concurrent first launches on SQLite and PostgreSQL.
    """
    dialect = session.get_bind().dialect.name
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:
        raise NotImplementedError(f"no idempotent insert for the {dialect} dialect")
    keys = model.__table__.primary_key.columns
    return session.execute(statement.returning(*keys)).first() is not None


def pk(value: int | str) -> int:
    """A primary key from a domain id (`"12"`) or a record id (`12`)."""
    return int(value)
