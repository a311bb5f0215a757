"""The launch's hot SELECTs, run on SQLite's driver connection inside the unit of work.

A launch reads its recorded rows and the learner's context: four statements that are each
built once. On SQLite the statement itself takes tens of microseconds, and SQLAlchemy's
execution machinery around it (execution context, parameter and result set-up) cost about
as much again. `PreparedRead` compiles its statement once per dialect, then on SQLite
hands the SQL and the bound values straight to the sqlite3 cursor of the session's own
connection (so it reads in the session's transaction) and converts each column with the
type's own result processor: the values are exactly those SQLAlchemy would return. On
other databases it is a plain `connection.execute`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Dialect, Select
from sqlalchemy.orm import Session

Convert = Callable[[Any], Any] | None


class _Compiled:
    """The statement's SQL for one dialect, how to bind its parameters and read its rows."""

    def __init__(self, statement: Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.order = tuple(compiled.positiontup or ())
        self.literals = {k: v for k, v in compiled.params.items() if v is not None}
        self.binds: dict[str, Convert] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()}
        self.results: tuple[Convert, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns)
        self.plain = all(convert is None for convert in self.results)

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        values = {**self.literals, **params}
        out = []
        for name in self.order:
            convert, value = self.binds.get(name), values[name]
            out.append(value if convert is None else convert(value))
        return tuple(out)

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(value if convert is None else convert(value)
                     for convert, value in zip(self.results, raw, strict=True))


class PreparedRead:
    """A SELECT built once, read fast on SQLite (see the module's note)."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None

    def all(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, as tuples of the columns' Python values, in the session's transaction."""
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            return [tuple(row) for row in connection.execute(self.statement, params)]
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = _Compiled(self.statement, connection.dialect)
        driver = connection.connection.driver_connection
        rows = driver.execute(compiled.sql, compiled.args(params)).fetchall()
        return rows if compiled.plain else [compiled.row(raw) for raw in rows]

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.all(session, params)
        return rows[0] if rows else None
