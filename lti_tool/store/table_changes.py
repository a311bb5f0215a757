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

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

WRITTEN_TABLES = "written-tables"


def note_written(session: Session, table: str) -> None:
    """Tell the watchers that this session's transaction wrote `table` by a statement
    SQLAlchemy did not run (the driver connection's own executemany)."""
    session.info.setdefault(WRITTEN_TABLES, set()).add(table)


def written_table(state: Any) -> str | None:
    """The name of the table an ORM-executed INSERT, UPDATE or DELETE writes, else None."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    return getattr(getattr(state.statement, "table", None), "name", None)


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
        if written_table(state) in tables:
            state.session.info[mark] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        noted = session.info.get(WRITTEN_TABLES, ())
        if session.info.pop(mark, False) or not tables.isdisjoint(noted):
            on_change()

    _forget_ended_transactions(sessions, mark)


# execution option of a Core INSERT/UPDATE/DELETE that writes only these people's rows: a
# tuple of person ids (empty: only a person new in this statement, whose data nobody saw)
WRITES_PEOPLE = "careerpath_writes_people"
ANYONE = None  # a change whose people are not known


def watch_people_changes(sessions: sessionmaker[Session], person_of: dict[type, str],
                         other_rows: tuple[type, ...], name: str,
                         on_change: Callable[[frozenset[int] | None], None]) -> None:
    """Call `on_change(people)` after every commit of `sessions` that wrote a table of
    `person_of` (each row's person in the named attribute) or of `other_rows`: `people` are
    the ids whose rows it wrote, or None (`ANYONE`) when that is not known (another table, a
    Core statement without `WRITES_PEOPLE`, a bulk insert): then anyone's data may have
    changed."""
    person_rows = tuple(person_of)
    tables = frozenset(row.__tablename__ for row in (*person_rows, *other_rows))  # type: ignore[attr-defined]
    mark = f"people:{name}"

    def add(session: Session, people: Any) -> None:
        found = session.info.get(mark, frozenset())
        session.info[mark] = ANYONE if found is ANYONE or people is ANYONE else found | people

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, person_rows):
                add(session, _people_of(obj, person_of[type(obj)]))
            elif isinstance(obj, other_rows):
                add(session, ANYONE)

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state: Any) -> None:
        if written_table(state) in tables:
            people = state.execution_options.get(WRITES_PEOPLE, ANYONE)
            add(state.session, ANYONE if people is ANYONE else frozenset(people))

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        if not tables.isdisjoint(session.info.get(WRITTEN_TABLES, ())):
            add(session, ANYONE)
        if mark in session.info:
            on_change(session.info.pop(mark))

    _forget_ended_transactions(sessions, mark)


def _people_of(obj: Any, attribute: str) -> frozenset[int] | None:
    """The people a flushed row belongs to: its person now and before the flush (a row moved
    from one person to another concerns both), or None when one is not known."""
    history = inspect(obj).attrs[attribute].history
    people = [*history.added, *history.unchanged, *history.deleted]
    if not people or any(person is None for person in people):
        return ANYONE
    return frozenset(int(person) for person in people)


def _forget_ended_transactions(sessions: sessionmaker[Session], mark: str) -> None:
    """Drop a watcher's `mark` when its transaction rolls back, and the noted tables when
    the next transaction begins."""

    @event.listens_for(sessions, "after_begin")
    def _began(session: Session, _transaction: Any, _connection: Any) -> None:
        session.info.pop(WRITTEN_TABLES, None)  # noted in a transaction that has ended

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(mark, None)
