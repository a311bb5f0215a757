"""The shared cache in the database: correct across gunicorn workers and hosts, no Redis.

Every operation is its own short transaction; `add`, `pop` and `incr` are single atomic
statements (INSERT … ON CONFLICT, DELETE … RETURNING), so a nonce is good once and a
login state is consumed once even when two workers race. Expired rows are ignored on read
and swept now and then on write.

Every launch makes three cache writes, so the statements are Core statements built once
per dialect, with bound parameters, run on a plain connection: no ORM session and no
statement construction per call. On SQLite they go one step further down: compiled once
to SQL text and run on the pooled driver connection, taking the writers' lock and
`BEGIN IMMEDIATE` as every other write transaction does (store.sqlite_writers). There
SQLAlchemy's own execution machinery cost twice the statement itself.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, Executable, Integer, Text, bindparam, case, cast, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from ..cache import noted, noted_keys
from ..clock import utcnow
from .database import READ_ONLY, Database
from .models.cache import CacheEntryRow
from .prepared_reads import CompiledStatement
from .repositories.statements import table_of
from .sqlite_writers import begin_immediate

SWEEP_CHANCE = 0.01
_TABLE = table_of(CacheEntryRow)
_WHEN = _TABLE.c.expires_at.type


@dataclass(frozen=True)
class _Statements:
    """The cache's statements for one dialect; parameters: key, value, expires, now."""

    get: Executable
    set: Executable
    add: Executable
    pop: Executable
    bump: Executable
    sweep: Executable

    @classmethod
    def for_dialect(cls, dialect: str) -> _Statements:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        key, now = _TABLE.c.key == bindparam("key"), bindparam("now", type_=_WHEN)
        new = insert(_TABLE).values(key=bindparam("key"), value=bindparam("value"),
                                    expires_at=bindparam("expires", type_=_WHEN))
        replace = {"value": new.excluded.value, "expires_at": new.excluded.expires_at}
        bumped = cast(cast(_TABLE.c.value, Integer) + 1, Text)
        expired = _TABLE.c.expires_at <= now  # in SET: the stored row, before the update
        return cls(
            get=select(_TABLE.c.value).where(key, _TABLE.c.expires_at > now),
            set=new.on_conflict_do_update(index_elements=["key"], set_=replace),
            # insert, or take over the key only when its entry has expired
            add=new.on_conflict_do_update(index_elements=["key"], set_=replace,
                                          where=_TABLE.c.expires_at <= now)
            .returning(_TABLE.c.key),
            pop=delete(_TABLE).where(key, _TABLE.c.expires_at > now).returning(_TABLE.c.value),
            # a counter: created with the entry's value (1), moved on while it lives, and
            # started again, with a new lifetime, once it has expired
            bump=new.on_conflict_do_update(index_elements=["key"], set_={
                "value": case((expired, new.excluded.value), else_=bumped),
                "expires_at": case((expired, new.excluded.expires_at),
                                   else_=_TABLE.c.expires_at)})
            .returning(_TABLE.c.value),
            sweep=delete(_TABLE).where(_TABLE.c.expires_at <= now),
        )


class _CoreRunner:
    """Runs the cache's statements on a plain SQLAlchemy connection (PostgreSQL)."""

    def __init__(self, database: Database) -> None:
        self._engine = database.engine
        self._reader = database.engine.execution_options(**{READ_ONLY: True})
        self._sql = _Statements.for_dialect(database.dialect)

    def read(self, name: str, params: dict[str, Any]) -> Any | None:
        with self._reader.begin() as connection:
            return connection.execute(getattr(self._sql, name), params).scalar()

    def write(self, *steps: tuple[str, dict[str, Any]], durable: bool = True) -> Any | None:
        """Run the steps in one transaction; the last one's first value, if it returns one.
        Not `durable`: the COMMIT returns before its WAL reaches the disk (see `incr`)."""
        with self._engine.begin() as connection:
            if not durable and connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
            for name, params in steps:
                result = connection.execute(getattr(self._sql, name), params)
            return result.scalar() if result.returns_rows else None


class _SqliteRunner:
    """Runs the same statements, compiled once to SQLite's SQL, on the driver connection."""

    def __init__(self, database: Database) -> None:
        self._engine: Engine = database.engine
        statements = _Statements.for_dialect("sqlite")
        self._sql = {name: CompiledStatement(getattr(statements, name), self._engine.dialect)
                     for name in statements.__dataclass_fields__}

    def read(self, name: str, params: dict[str, Any]) -> Any | None:
        connection = self._engine.raw_connection()
        try:  # one SELECT in autocommit mode reads one consistent snapshot
            row = self._sql[name].run(connection.driver_connection, params).fetchone()
        finally:
            connection.close()
        return None if row is None else row[0]

    def write(self, *steps: tuple[str, dict[str, Any]], durable: bool = True) -> Any | None:
        """As _CoreRunner's; SQLite's WAL with synchronous=NORMAL never waits for the disk at
        a commit, so `durable` changes nothing here."""
        connection = self._engine.raw_connection()
        try:
            driver = connection.driver_connection
            assert driver is not None
            begin_immediate(driver)
            try:
                for name, params in steps:
                    rows = self._sql[name].run(driver, params).fetchall()
                driver.commit()
            except BaseException:
                driver.rollback()
                raise
        finally:
            connection.close()
        return rows[0][0] if rows else None


class DatabaseCache:
    """A `lti_tool.cache.Cache` over the `cache_entries` table."""

    def __init__(self, database: Database, prefix: str = "") -> None:
        self._prefix = prefix
        database = database.own_pool()  # never waits for a connection its caller holds
        self._run = (_SqliteRunner(database) if database.dialect == "sqlite"
                     else _CoreRunner(database))

    def get(self, key: str) -> Any | None:
        return _value(self._run.read("get", self._key(key)))

    def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        return [self.get(key) for key in keys]

    def set(self, key: str, value: Any, ttl: int) -> None:
        self._run.write(("set", self._entry(key, value, ttl)))
        self._maybe_sweep()

    def add(self, key: str, value: Any, ttl: int) -> bool:
        added = self._run.write(("add", self._entry(key, value, ttl)))
        self._maybe_sweep()
        return added is not None

    def pop(self, key: str) -> Any | None:
        return _value(self._run.write(("pop", self._key(key))))

    def incr(self, key: str, ttl: int) -> int:
        """A counter (API rate limits, failed sign-ins); its commit does not wait for the
        disk, as `bump`'s."""
        entry = self._entry(key, 1, ttl)
        count = self._run.write(("bump", entry), durable=False)
        assert count is not None  # the upsert returns the new value, always
        return int(count)

    def bump(self, keys: Sequence[str], ttl: int) -> None:
        """The data versions announced after every commit that writes learner data (a sync:
        once per page, 1,850 times for a Canvas course of 5,000 learners), all of one commit
        in one transaction, in key order (two commits bumping the same keys never wait for
        each other in a cycle). That commit does not wait for the disk: a crash of the
        database server can lose the last bumps of a few milliseconds, and pages kept under
        the older version then stay until their time-to-live ends. Logins and nonces (`add`,
        `pop`) keep durable commits: a one-use value must not come back after a crash."""
        steps = [("bump", self._entry(key, 1, ttl)) for key in sorted(set(keys))]
        if steps:
            self._run.write(*steps, durable=False)

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        self.set(key, value, ttl)
        self.note(index, key, keep, index_ttl)
        return self.get_many(read)

    def note(self, index: str, key: str, keep: int, index_ttl: int) -> None:
        """Read, then write the index: two launches of one person at the very same moment
        can drop each other's note (Redis's script cannot); an erasure then misses that
        session, which expires with its own time-to-live."""
        self.set(index, noted(self.get(index), key, keep), index_ttl)

    def pop_noted(self, index: str) -> list[str]:
        return noted_keys(self.pop(index))

    def _key(self, key: str) -> dict[str, Any]:
        return {"key": self._prefix + key, "now": utcnow()}

    def _entry(self, key: str, value: Any, ttl: int) -> dict[str, Any]:
        now = utcnow()
        return {"key": self._prefix + key, "value": _stored(value), "now": now,
                "expires": now + timedelta(seconds=max(int(ttl), 1))}

    def _maybe_sweep(self) -> None:
        if random.random() < SWEEP_CHANCE:  # noqa: S311 - load spreading, not security
            self._run.write(("sweep", {"now": utcnow()}))


# the table's text column holds a JSON value as its text and bytes as base64 behind a mark
# that no JSON text starts with
_BYTES_MARK = "b64:"


def _stored(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return _BYTES_MARK + base64.b64encode(value).decode("ascii")
    return json.dumps(value)


def _value(raw: str | None) -> Any | None:
    if raw is None:
        return None
    if raw.startswith(_BYTES_MARK):
        return base64.b64decode(raw[len(_BYTES_MARK):])
    return json.loads(raw)
