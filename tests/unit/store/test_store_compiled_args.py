"""A batch's driver parameters: each distinct value converted once, the same as row by row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.types import TypeDecorator

from lti_tool.store.prepared_reads import CompiledStatement
from lti_tool.store.types import UTCDateTime

conversions: list[Any] = []


class Counted(TypeDecorator[str]):
    """A text column that notes every value it converts."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        conversions.append(value)
        return None if value is None else f"<{value}>"


TABLE = Table("batch_rows", MetaData(), Column("id", Integer, primary_key=True),
              Column("label", Counted()), Column("at", UTCDateTime()), Column("extra", JSON),
              Column("plain", String))
COLUMNS = ("label", "at", "extra", "plain")
NOW = datetime(2026, 12, 6, 7, 8, 9, 123456, tzinfo=UTC)
ROWS = [
    {"label": "a", "at": NOW, "extra": {"k": [1, 2]}, "plain": "p1"},
    {"label": "a", "at": NOW, "extra": {"k": [1, 2]}, "plain": "p2"},
    # the same instant written in another time zone: equal, so converted once, the same way
    {"label": "b", "at": NOW.astimezone(timezone(timedelta(hours=5))), "extra": None,
     "plain": "p3"},
    {"label": None, "at": NOW + timedelta(seconds=1), "extra": [3], "plain": "p4"},
]


def compiled(module: Any, dialect: Any) -> CompiledStatement:
    statement = module.insert(TABLE).values({c: bindparam(c) for c in COLUMNS})
    return CompiledStatement(statement, dialect)


def comparable(args: Any) -> Any:
    """psycopg wraps JSON values in `Json`, which compares by identity: compare its value."""
    values = args.values() if isinstance(args, dict) else args
    return [getattr(value, "obj", value) for value in values]


def test_a_batch_gets_what_each_row_would_get_on_both_dialects() -> None:
    for module, dialect in ((sqlite, sqlite.dialect()), (postgresql, PGDialect_psycopg())):
        statement = compiled(module, dialect)
        batch = statement.args_many(ROWS)
        assert [comparable(a) for a in batch] == [comparable(statement.args(r)) for r in ROWS]
        assert all(isinstance(a, tuple if statement.positional else dict) for a in batch)


def test_each_distinct_value_is_converted_once_per_batch() -> None:
    statement = compiled(sqlite, sqlite.dialect())
    conversions.clear()
    first = statement.args_many(ROWS)
    assert conversions == ["a", "b", None]  # "a" twice in the rows, converted once
    conversions.clear()
    assert statement.args_many(ROWS) == first  # a new batch converts afresh
    assert conversions == ["a", "b", None]


def test_sqlite_gets_one_text_for_one_instant_and_json_is_still_serialised() -> None:
    args = compiled(sqlite, sqlite.dialect()).args_many(ROWS)
    order = compiled(sqlite, sqlite.dialect()).order
    at, extra = order.index("at"), order.index("extra")
    assert args[0][at] == args[2][at] == "2026-12-06 07:08:09.123456"
    assert args[0][extra] == '{"k": [1, 2]}' and args[3][extra] == "[3]"  # unhashable values
