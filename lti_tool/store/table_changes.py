"""Know when a commit wrote certain tables: the hook behind this process's own copies.

A process keeps copies of rows that are read on every request but written rarely (the
catalogue, platform registrations). `watch_changes` calls back after every commit that
wrote one of the given tables, whether through ORM objects or Core DML run in a session,
so the copy is dropped at once in the process that made the change. Writes that go around
SQLAlchemy's execution (`store.bulk_inserts` hands SQLite's driver its rows) say so with
`note_written`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

WRITTEN_TABLES = "written-tables"


def note_written(session: Session, table: str) -> None:
    """Tell the watchers that this session's transaction wrote `table` by a statement
    SQLAlchemy did not run (the driver connection's own executemany)."""
    session.info.setdefault(WRITTEN_TABLES, set()).add(table)


def watch_changes(sessions: sessionmaker[Session], rows: tuple[type, ...], name: str,
                  on_change: Callable[[], None]) -> None:
    """Call `on_change` after every commit of `sessions` that wrote a table of `rows`;
    `name` tells this watcher's mark apart from other watchers' in `session.info`."""
    tables = frozenset(row.__tablename__ for row in rows)  # type: ignore[attr-defined]
    mark = f"changed:{name}"

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        touched = (*session.new, *session.dirty, *session.deleted)
        if any(isinstance(obj, rows) for obj in touched):
            session.info[mark] = True

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) in tables:
                state.session.info[mark] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        noted = session.info.get(WRITTEN_TABLES, ())
        if session.info.pop(mark, False) or not tables.isdisjoint(noted):
            on_change()

    @event.listens_for(sessions, "after_begin")
    def _began(session: Session, _transaction: Any, _connection: Any) -> None:
        session.info.pop(WRITTEN_TABLES, None)  # noted in a transaction that has ended

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(mark, None)
