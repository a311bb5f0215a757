"""Many rows into one table in one statement, skipping rows that already exist.

A sync stores about 1,600 evidence rows per page of results. SQLAlchemy's executemany
converts every value of every row through its column type; on SQLite a timestamp's
conversion (to UTC, then to text) was the larger part of storing a page. `BulkInsert`
converts each distinct value of a column once per batch with the column's own bind
processor, so the stored values are exactly SQLAlchemy's, and hands the rows to the
driver on the session's connection, in the session's transaction:

- SQLite: its INSERT … ON CONFLICT DO NOTHING, compiled once, to sqlite3's executemany
  (the same call SQLAlchemy ends in);
- PostgreSQL: `COPY … FROM STDIN` (psycopg's `copy`) inside a savepoint. COPY has no
  ON CONFLICT, and a batch's rows are new ones (its writer compared them with what is
  stored first), so a unique violation means a concurrent writer stored some of them in
  the meantime: the savepoint is rolled back and the batch goes again as INSERT … ON
  CONFLICT DO NOTHING, which skips those. COPY saves the server parsing and planning a
  multi-row VALUES statement of 10,000 parameters per 1,000 rows, and the client
  building those parameters (a page's server CPU ~15 %, the client's ~25 %; see
  bench/SYNC_PROFILE.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .prepared_reads import CompiledStatement, convert_column
from .table_changes import note_written

_SAVEPOINT = "bulk_insert_copy"


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
        self.run_rows(session, [tuple(row[name] for name in self.columns) for row in rows])

    def run_rows(self, session: Session, rows: Sequence[Sequence[Any]]) -> None:
        """`run` for rows given as tuples in the order of `columns` (no dict per row)."""
        if rows:
            self.run_columns(session, list(zip(*rows, strict=True)))

    def run_columns(self, session: Session, columns: Sequence[Sequence[Any]]) -> None:
        """`run` for the rows given column by column, in the order of `columns` (a column
        may be one value repeated: what a batch shares is never built row by row)."""
        if not columns or not columns[0]:
            return
        session.flush()
        connection = session.connection()
        bound = dict(zip(self.columns, self._converted(connection.dialect, columns),
                         strict=True))
        if connection.dialect.name == "sqlite":
            self._sqlite_rows(connection, bound)
        elif connection.dialect.name == "postgresql":
            self._copy_rows(connection, list(zip(*bound.values(), strict=True)))
        else:
            session.execute(insert_ignoring_conflicts(connection.dialect.name, self.table),
                            [dict(zip(bound, row, strict=True))
                             for row in zip(*bound.values(), strict=True)])
        # the driver's executemany and COPY go around SQLAlchemy's events: tell the change
        # watchers (figures and pages kept per data version) that this table was written
        note_written(session, self.table.name)

    def _sqlite_rows(self, connection: Connection, bound: dict[str, Sequence[Any]]) -> None:
        """sqlite3's executemany of the compiled INSERT, the columns in its "?" order."""
        if self._sqlite is None:
            statement = insert_ignoring_conflicts("sqlite", self.table).values(
                {name: bindparam(name) for name in self.columns})
            self._sqlite = CompiledStatement(statement, connection.dialect)
        driver = connection.connection.driver_connection
        assert driver is not None, "a live session's connection has its driver connection"
        driver.executemany(self._sqlite.sql, zip(*[bound[name] for name in self._sqlite.order],
                                                 strict=True))

    def _copy_rows(self, connection: Connection, rows: list[tuple[Any, ...]]) -> None:
        """COPY in a savepoint; on a unique violation, INSERT … ON CONFLICT DO NOTHING."""
        import psycopg

        quote = connection.dialect.identifier_preparer
        sql = "COPY {} ({}) FROM STDIN".format(quote.format_table(self.table), ", ".join(
            quote.quote(name) for name in self.columns))
        driver = connection.connection.driver_connection
        assert driver is not None, "a live session's connection has its driver connection"
        with driver.cursor() as cursor:
            cursor.execute(f"SAVEPOINT {_SAVEPOINT}")
            try:
                with cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            except psycopg.errors.UniqueViolation:
                cursor.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
                self._insert_skipping_existing(connection, rows)
            else:
                cursor.execute(f"RELEASE SAVEPOINT {_SAVEPOINT}")

    def _insert_skipping_existing(self, connection: Connection,
                                  rows: list[tuple[Any, ...]]) -> None:
        """The rows (bound values already) as INSERT … ON CONFLICT DO NOTHING."""
        statement = insert_ignoring_conflicts(connection.dialect.name, self.table).values(
            {name: bindparam(name) for name in self.columns})
        compiled = CompiledStatement(statement, connection.dialect)
        driver = connection.connection.driver_connection
        assert driver is not None, "a live session's connection has its driver connection"
        with driver.cursor() as cursor:
            cursor.executemany(compiled.sql, [dict(zip(self.columns, row, strict=True))
                                              for row in rows])

    def _converted(self, dialect: Dialect, columns: Sequence[Sequence[Any]]
                   ) -> list[Sequence[Any]]:
        """Each column's values as SQLAlchemy would bind them on `dialect` (each distinct
        value of a column converted once)."""
        processors: list[Callable[[Any], Any] | None] = [
            self.table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.columns]
        return [column if convert is None else convert_column(convert, column)
                for convert, column in zip(processors, columns, strict=True)]
