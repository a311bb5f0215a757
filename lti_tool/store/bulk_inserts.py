"""Many rows into one table in one statement, skipping rows that already exist.

A sync stores about 1,600 evidence rows per page of results. SQLAlchemy's executemany
converts every value of every row through its column type; on SQLite a timestamp's
conversion (to UTC, then to text) was the larger part of storing a page. On SQLite,
`BulkInsert` compiles its INSERT once and hands the rows to sqlite3's own executemany on
the session's connection (the same call SQLAlchemy ends in), converting each distinct value
once per batch with the column's own bind processor (`CompiledStatement.args_many`), so
the stored values are exactly SQLAlchemy's. On PostgreSQL it is SQLAlchemy's executemany,
which there sends the rows as multi-row VALUES batches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .prepared_reads import CompiledStatement
from .table_changes import note_written


def insert_ignoring_conflicts(dialect: str, table: Table | type[Any]) -> Any:
    """SQLAlchemy's INSERT into `table` (a Table or a mapped class) that skips a row whose
    unique key exists already, for `dialect` ("sqlite" or "postgresql")."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing()


class BulkInsert:
    """INSERT … ON CONFLICT DO NOTHING of `columns` of `table`, for a batch of rows."""

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table, self.columns = table, tuple(columns)
        self._sqlite: CompiledStatement | None = None

    def run(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert `rows` (each with every one of the columns) in the session's transaction;
        a row whose unique key exists already is skipped."""
        if not rows:
            return
        session.flush()
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            session.execute(insert_ignoring_conflicts(connection.dialect.name, self.table), rows)
            return
        compiled = self._compiled_for_sqlite(connection.dialect)
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.executemany(compiled.sql, compiled.args_many(rows))
        note_written(session, self.table.name)

    def run_rows(self, session: Session, rows: Sequence[Sequence[Any]]) -> None:
        """`run` for rows given as tuples in the order of `columns` (no dict per row on
        SQLite, where the rows go to sqlite3's executemany converted column by column)."""
        if not rows:
            return
        session.flush()
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            names = self.columns
            session.execute(insert_ignoring_conflicts(connection.dialect.name, self.table),
                            [dict(zip(names, row, strict=True)) for row in rows])
            return
        compiled = self._compiled_for_sqlite(connection.dialect)
        driver = connection.connection.driver_connection
        assert driver is not None, "a live session's connection has its driver connection"
        driver.executemany(compiled.sql, compiled.args_rows(self.columns, rows))
        note_written(session, self.table.name)

    def _compiled_for_sqlite(self, dialect: Any) -> CompiledStatement:
        if self._sqlite is None:
            statement = insert_ignoring_conflicts("sqlite", self.table).values(
                {name: bindparam(name) for name in self.columns})
            self._sqlite = CompiledStatement(statement, dialect)
        return self._sqlite
