"""The launch's hot SELECTs, run on the driver connection inside the unit of work.

A launch reads its recorded rows and the learner's context: four statements that are each
built once. On SQLite a statement itself takes tens of microseconds, and SQLAlchemy's
execution machinery around it (execution context, parameter and result set-up) cost about
as much again; on PostgreSQL it adds about 60 µs to an 85 µs round trip. `PreparedRead`
compiles its statement once per dialect, then hands the SQL and the bound values straight
to the driver (sqlite3 or psycopg) on the session's own connection, so it reads in the
session's transaction, and converts each column with the type's own result processor: the
values are exactly those SQLAlchemy would return. `CompiledStatement` is that compiled
form; the shared cache's SQLite path (store.database_cache) runs its writes with it too.

`read_together` runs several prepared reads as one batch: on PostgreSQL they go out in one
psycopg pipeline, one round trip for all of them instead of one each.

`PreparedRead.alone` runs one statement outside any unit of work, on a pooled driver
connection in autocommit: one SELECT sees one consistent snapshot by itself (SQLite and
PostgreSQL alike), so a read that is a single statement needs no transaction, and the ORM
session's begin, rollback and close (about 110 µs on SQLite against a 10 µs read) go.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Dialect, Engine, Executable
from sqlalchemy.orm import Session

Convert = Callable[[Any], Any] | None


class CompiledStatement:
    """A statement's SQL for one dialect, how to bind its parameters and read its rows."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        self.sql = compiled.string
        self.positional = compiled.positiontup is not None  # "?" (sqlite3), else "%(name)s"
        # parameters by the names the SQL renders (anonymous literals get "status_1" …)
        self.order = tuple(compiled.positiontup or compiled.params)
        self.literals = {k: v for k, v in compiled.params.items() if v is not None}
        binds: dict[str, Convert] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for bind, name in compiled.bind_names.items()}
        self._plan = tuple((name, binds.get(name)) for name in self.order)
        self._types = [column.type.dialect_impl(dialect)  # what it selects or returns
                       for column in getattr(statement, "exported_columns", ())]
        self._dialect = dialect
        self.results: tuple[Convert, ...] | None = None  # known from the first cursor
        self.plain = False
        self._converted: tuple[tuple[int, Callable[[Any], Any]], ...] = ()

    def learn_results(self, description: Sequence[Any]) -> None:
        """The columns' result processors, given the driver's type codes (PostgreSQL's
        numeric processors depend on them, as in SQLAlchemy's own result set-up)."""
        self.results = tuple(
            kind.result_processor(self._dialect, column[1])
            for kind, column in zip(self._types, description, strict=True))
        self.plain = all(convert is None for convert in self.results)
        # only the columns that have a processor are touched per row (most have none)
        self._converted = tuple((at, convert) for at, convert in enumerate(self.results)
                                if convert is not None)

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters: in SQL order for "?", by name for "%(name)s"."""
        values = self._values(params)
        return self._pack([values[name] if convert is None else convert(values[name])
                           for name, convert in self._plan])

    def args_many(self, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
        """`args` of each row, converting each distinct value of a column once per call:
        the rows of a batch share many values (a page's `created_at`, a result's time on
        both its evidence rows), and a timestamp's conversion is the costly one."""
        plan: list[tuple[str, Convert, dict[Any, Any]]] = [
            (name, convert, {}) for name, convert in self._plan]
        out = []
        for params in rows:
            values = self._values(params)
            out.append(self._pack([
                values[name] if convert is None else _converted(convert, memo, values[name])
                for name, convert, memo in plan]))
        return out

    def args_rows(self, names: Sequence[str], rows: Sequence[Sequence[Any]]
                  ) -> list[Any]:
        """`args_many` for rows given as tuples of the values of `names` (every parameter of
        a statement without literals): converted column by column, each distinct value of a
        column once; tuples for "?" statements, dicts for "%(name)s" ones."""
        if self.literals or set(names) != set(self.order):
            raise ValueError("args_rows needs a statement binding exactly `names`")
        if not rows:
            return []
        where = {name: index for index, name in enumerate(names)}
        columns = list(zip(*rows, strict=True))
        ordered = []
        for name, convert in self._plan:
            column = columns[where[name]]
            ordered.append(column if convert is None else convert_column(convert, column))
        if self.positional:
            return list(zip(*ordered, strict=True))
        return [dict(zip(self.order, row, strict=True)) for row in zip(*ordered, strict=True)]

    def _values(self, params: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**self.literals, **params} if self.literals else params

    def _pack(self, bound: list[Any]) -> tuple[Any, ...] | dict[str, Any]:
        return tuple(bound) if self.positional else dict(zip(self.order, bound, strict=True))

    def run(self, driver: Any, params: Mapping[str, Any]) -> Any:
        """Execute on `driver` (a sqlite3 or psycopg connection); its cursor."""
        return driver.execute(self.sql, self.args(params))

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        if self.results is None or len(raw) != len(self.results):
            raise ValueError(f"a row of {len(raw)} columns for a statement of "
                             f"{len(self.results or ())}")
        values = list(raw)
        for at, convert in self._converted:
            values[at] = convert(values[at])
        return tuple(values)


class PreparedRead:
    """A SELECT built once, read straight through the driver (see the module's note)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[str, CompiledStatement] = {}  # by dialect name

    def all(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, as tuples of the columns' Python values, in the session's transaction
        (flushed first, as the ORM's autoflush would: pending changes are seen)."""
        return read_together(session, (self, params))[0]

    def first(self, session: Session, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        rows = self.all(session, params)
        return rows[0] if rows else None

    def alone(self, engine: Engine, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Every row, read by this one statement on a connection of `engine`'s pool in
        autocommit, outside any transaction (see the module's note)."""
        pooled = engine.raw_connection()
        try:
            driver = pooled.driver_connection
            compiled = self.compiled_for(engine.dialect)
            if engine.dialect.name != "postgresql":  # sqlite3 here never opens one itself
                return _rows(compiled, compiled.run(driver, params))
            with _autocommit(driver):
                return _rows(compiled, compiled.run(driver, params))
        finally:
            pooled.close()  # back to the pool (its reset is a no-op outside a transaction)

    def compiled_for(self, dialect: Dialect) -> CompiledStatement:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = CompiledStatement(self.statement, dialect)
        return compiled


def read_together(session: Session, *reads: tuple[PreparedRead, Mapping[str, Any]]
                  ) -> list[list[tuple[Any, ...]]]:
    """The rows of each `(read, params)`, in order, in the session's transaction (flushed
    first). On PostgreSQL the statements are sent in one pipeline: one round trip."""
    session.flush()
    connection = session.connection()
    dialect = connection.dialect
    driver = connection.connection.driver_connection
    assert driver is not None
    batch = [(read.compiled_for(dialect), params) for read, params in reads]
    together = len(batch) > 1 and dialect.name == "postgresql"
    with driver.pipeline() if together else nullcontext():
        cursors = [compiled.run(driver, params) for compiled, params in batch]
    return [_rows(compiled, cursor) for (compiled, _params), cursor in zip(batch, cursors,
                                                                            strict=True)]


@contextmanager
def _autocommit(driver: Any) -> Iterator[None]:
    """psycopg's connection in autocommit for a while (no BEGIN, no ROLLBACK round trip)."""
    if driver.autocommit:
        yield
        return
    driver.autocommit = True
    try:
        yield
    finally:
        driver.autocommit = False


def convert_column(convert: Callable[[Any], Any], column: Sequence[Any]) -> Sequence[Any]:
    """Each value of a column converted, each distinct value once."""
    try:
        done = {value: convert(value) for value in set(column)}
    except TypeError:  # an unhashable value: every value converted
        return [convert(value) for value in column]
    return [done[value] for value in column]


def _converted(convert: Callable[[Any], Any], memo: dict[Any, Any], value: Any) -> Any:
    try:
        return memo[value]
    except KeyError:
        converted = memo[value] = convert(value)
        return converted
    except TypeError:  # an unhashable value: converted every time
        return convert(value)


def _rows(compiled: CompiledStatement, cursor: Any) -> list[tuple[Any, ...]]:
    if compiled.results is None:
        compiled.learn_results(cursor.description)
    rows = cursor.fetchall()
    return rows if compiled.plain else [compiled.row(raw) for raw in rows]
