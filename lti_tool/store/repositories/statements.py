"""Dialect-aware statements the repositories share: insert-if-absent for idempotent writes,
membership in a list of values, and the columns that build a record by position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Column, ColumnElement, Insert, Select, Table, any_, inspect, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session

from lti_tool.domain.errors import ConfigurationError

from ..table_changes import WRITES_PEOPLE

Row = TypeVar("Row", bound=DeclarativeBase)


def insert_if_absent(
    session: Session, model: type[DeclarativeBase], values: dict[str, Any],
    people: tuple[int, ...] | None = None,
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was inserted.

    No conflict target is named, so any unique constraint or unique index of the table
    (including partial ones) turns a concurrent duplicate into a no-op; the caller then
    SELECTs the row that won. Safe under concurrent first launches on SQLite and PostgreSQL.
    `people`: the persons whose own learner data the row is (empty: a new person), for the
    change watchers (store.table_changes.WRITES_PEOPLE); None when not known.
    """
    dialect = session.get_bind().dialect.name
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:
        raise ConfigurationError(f"CareerPath stores data in SQLite or PostgreSQL, not {dialect}: "
                                 "set CAREERPATH_DATABASE_URL to one of them")
    keys = inspect(model).primary_key
    options = {} if people is None else {WRITES_PEOPLE: people}
    return session.execute(statement.returning(*keys), execution_options=options
                           ).first() is not None


def find_or_insert(session: Session, model: type[Row], query: Select[Row],
                   values: dict[str, Any], people: tuple[int, ...] | None = None) -> Row:
    """The row `query` finds; when there is none, `insert_if_absent(values)` then the row
    that won. An existing row (every launch after the first) costs one SELECT, no write.
    `people`: whose learner data the row is (see store.table_changes.WRITES_PEOPLE)."""
    row = session.scalars(query).first()
    if row is None:
        insert_if_absent(session, model, values, people)
        row = session.scalars(query).one()
    return row


def among(session: Session, column: InstrumentedAttribute[Any], values: Sequence[Any]
          ) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL `column = ANY(%s)` with the values as one array:
    the statement's text is the same whatever their number, so psycopg converts it once
    and the server prepares it, where an IN list of 500 placeholders is a new statement to
    parse and plan on each call (the sync's roster pages make hundreds)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(values), postgresql.ARRAY(column.type)))
    return column.in_(values)


def table_of(model: type[DeclarativeBase]) -> Table:
    """The model's table (the declarative `__table__`, typed as the Table it is)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def pk(value: int | str) -> int:
    """A primary key from a domain id (`"12"`) or a record id (`12`)."""
    return int(value)


def record_columns(model: Any, record: type) -> tuple[Column[Any], ...]:
    """`model`'s table columns in the order of `record`'s fields, so that `record(*row)`
    builds the record from a row of them."""
    return tuple(model.__table__.c[field.name] for field in fields(record))
