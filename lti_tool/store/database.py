"""The database handle: one engine, one session factory, a unit of work per `session()`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from .sqlite_checkpoints import WalCheckpointer
from .sqlite_writers import AVAILABLE as WRITER_LOCKS
from .sqlite_writers import LockingConnection, WriterLock, begin_immediate
from .unit_of_work import SqlUnitOfWork

SQLITE_BUSY_TIMEOUT_MS = 15_000
IDLE_PING_SECONDS = 10.0
READ_ONLY = "careerpath_read_only"
READ_ONLY_WRITE = "a read-only unit of work (read_session) cannot write; use Database.session()"


def engine_url(url: str | URL) -> URL:
    """The URL with its driver chosen: `postgresql://` and `postgres://` use psycopg 3."""
    text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]
    parsed = make_url(text)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def create_database_engine(url: str | URL, **options: Any) -> Engine:
    """An engine with the settings the product relies on (SQLite pragmas, pre-ping).

    Parameters are never logged nor put in error messages: rows carry access tokens,
    encrypted keys, login state and launch sessions.
    """
    parsed = engine_url(url)
    options.setdefault("hide_parameters", True)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, **options)
        _ping_idle_connections(engine)
        return engine
    connect_args: dict[str, Any] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    lock_path, checkpointer = None, None
    if parsed.database and parsed.database != ":memory:":
        database = Path(parsed.database).expanduser().resolve()
        database.parent.mkdir(parents=True, exist_ok=True)
        if WRITER_LOCKS:
            connect_args["factory"] = LockingConnection
            lock_path = f"{database}.writers"
            checkpointer = WalCheckpointer(str(database))
    engine = create_engine(parsed, connect_args=connect_args, **options)
    _configure_sqlite(engine, lock_path, checkpointer)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """Check a pooled connection before use when it has been idle `IDLE_PING_SECONDS`.

    A connection can die while it waits in the pool (a database restart, an idle timeout
    on a proxy); SQLAlchemy's `pool_pre_ping` checks on every checkout, a round trip per
    unit of work even under load, when connections are never idle for long. Here only a
    connection idle for a while is checked; a dead one is replaced before the request
    uses it. One that dies within the last seconds fails its statement, and SQLAlchemy
    then drops the whole pool.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:  # the dialect's ping leaves no transaction open behind it
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # noqa: BLE001 - any failure means: use another connection
            raise DisconnectionError("a pooled connection died while idle") from exc


def _configure_sqlite(engine: Engine, lock_path: str | None,
                      checkpointer: WalCheckpointer | None) -> None:
    """Foreign keys on, WAL, a busy timeout, and `BEGIN IMMEDIATE` for every transaction.

    SQLite upgrades a deferred read transaction to a write lock without waiting: under
    concurrent writers that fails at once with "database is locked". Taking the write
    lock when the transaction starts queues writers instead: on the writers' file lock
    (lti_tool.store.sqlite_writers) for a database file, else on the busy timeout.
    While a process writes a database file, a thread of it checkpoints the WAL
    (lti_tool.store.sqlite_checkpoints), so that commits rarely have to.
    """
    if checkpointer is not None:
        checkpointer.watch(engine)

        @event.listens_for(engine, "engine_disposed")
        def _on_dispose(_engine: Engine) -> None:
            checkpointer.stop()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        if lock_path is not None:
            dbapi_connection.writer_lock = WriterLock(lock_path, SQLITE_BUSY_TIMEOUT_MS / 1000)
            dbapi_connection.checkpointer = checkpointer
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # straight on the driver's connection: SQLAlchemy's statement machinery would cost
        # more than the BEGIN itself, on every unit of work
        dbapi_connection = connection.connection.dbapi_connection
        # a read-only unit of work takes no write lock: WAL lets it read beside a writer
        if connection.get_execution_options().get(READ_ONLY, False):
            dbapi_connection.execute("BEGIN DEFERRED")
            return
        begin_immediate(dbapi_connection)


def _read_options(dialect: str) -> dict[str, Any]:
    """Execution options of a read-only unit of work.

    PostgreSQL runs it in autocommit: under its default READ COMMITTED isolation every
    statement takes a fresh snapshot anyway, so this loses no consistency and saves the
    BEGIN and ROLLBACK round trips. SQLite's is a deferred transaction (see `_on_begin`).
    """
    if dialect == "postgresql":
        return {READ_ONLY: True, "isolation_level": "AUTOCOMMIT"}
    return {READ_ONLY: True}


def _refuse_writes(sessions: sessionmaker[Session]) -> None:
    """A read-only unit of work that tries to write fails loudly, on every database (on
    PostgreSQL it runs in autocommit, where a write would otherwise be kept)."""

    @event.listens_for(sessions, "before_flush")
    def _flushing(session: Session, _context: Any, _instances: Any) -> None:
        if session.new or session.dirty or session.deleted:
            raise ReadOnlyUnitOfWork(READ_ONLY_WRITE)

    @event.listens_for(sessions, "do_orm_execute")
    def _executing(state: Any) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            raise ReadOnlyUnitOfWork(READ_ONLY_WRITE)


class ReadOnlyUnitOfWork(RuntimeError):
    """A programming error: a write inside `Database.read_session()`."""


class Database:
    """An engine and its session factory; `session()` is the unit of work."""

    def __init__(self, url: str | URL, **engine_options: Any) -> None:
        self.url = engine_url(url)
        self.engine = create_database_engine(self.url, **engine_options)
        self._engine_options = engine_options
        self._own_pool: Database | None = None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.engine.execution_options(**_read_options(
            self.engine.dialect.name)), expire_on_commit=False)
        _refuse_writes(self._read_sessions)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Commit when the block ends normally, roll back when it raises."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A unit of work that only reads: on SQLite it takes no write lock, so readers never
        queue behind writers (nor deadlock inside a writer's transaction)."""
        with self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def unit_of_work(self) -> Iterator[SqlUnitOfWork]:
        """`session()`'s transaction, seen through its repositories (usecases.ports)."""
        with self.session() as session:
            yield SqlUnitOfWork(session)

    @contextmanager
    def read_unit_of_work(self) -> Iterator[SqlUnitOfWork]:
        """`read_session()`'s, seen through its repositories."""
        with self.read_session() as session:
            yield SqlUnitOfWork(session)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        """The factory behind `session()`, for session event listeners."""
        return self._sessions

    def own_pool(self) -> Database:
        """This database behind a connection pool of its own (made once, disposed with this
        one), for work that runs while a unit of work here holds a connection: the shared
        cache in the database is read inside read sessions (the catalogue's version) and
        written from after-commit hooks (the data versions), so with one pool, enough
        concurrent requests each holding a connection and waiting for a second one would
        wait for each other until the pool's timeout. An in-memory SQLite database has no
        second connection: it is its own."""
        if self.url.get_backend_name() == "sqlite" and self.url.database in (None, "",
                                                                               ":memory:"):
            return self
        if self._own_pool is None:
            self._own_pool = Database(self.url, **self._engine_options)
        return self._own_pool

    def dispose(self) -> None:
        self.engine.dispose()
        if self._own_pool is not None:
            self._own_pool.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"
