"""The shared cache in the database: correct across gunicorn workers and hosts, no Redis.

Every operation is its own short transaction; `add`, `pop` and `incr` are single atomic
statements (INSERT … ON CONFLICT, DELETE … RETURNING), so a nonce is good once and a
login state is consumed once even when two workers race. Expired rows are ignored on read
and swept now and then on write.

A launch does five or six cache operations, so they run as Core statements built once per
cache with bound parameters on a plain connection: no ORM session and no statement
construction per call (about a third of the cost of the ORM equivalent).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Executable, Integer, Text, bindparam, cast, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from .database import READ_ONLY, Database
from .models.cache import CacheEntryRow
from .types import utcnow

SWEEP_CHANCE = 0.01
_TABLE = CacheEntryRow.__table__
_WHEN = _TABLE.c.expires_at.type


@dataclass(frozen=True)
class _Statements:
    """The cache's statements for one dialect; parameters: key, value, expires, now."""

    get: Executable
    set: Executable
    add: Executable
    pop: Executable
    drop_expired: Executable
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
        return cls(
            get=select(_TABLE.c.value).where(key, _TABLE.c.expires_at > now),
            set=new.on_conflict_do_update(index_elements=["key"], set_=replace),
            # insert, or take over the key only when its entry has expired
            add=new.on_conflict_do_update(index_elements=["key"], set_=replace,
                                          where=_TABLE.c.expires_at <= now)
            .returning(_TABLE.c.key),
            pop=delete(_TABLE).where(key, _TABLE.c.expires_at > now).returning(_TABLE.c.value),
            drop_expired=delete(_TABLE).where(key, _TABLE.c.expires_at <= now),
            bump=new.on_conflict_do_update(index_elements=["key"], set_={"value": bumped})
            .returning(_TABLE.c.value),
            sweep=delete(_TABLE).where(_TABLE.c.expires_at <= now),
        )


class DatabaseCache:
    """A `lti_tool.cache.Cache` over the `cache_entries` table."""

    def __init__(self, database: Database, prefix: str = "") -> None:
        self._engine = database.engine
        self._reader = database.engine.execution_options(**{READ_ONLY: True})
        self._prefix = prefix
        self._sql = _Statements.for_dialect(database.dialect)

    def get(self, key: str) -> Any | None:
        with self._reader.begin() as connection:
            raw = connection.execute(self._sql.get, self._key(key)).scalar()
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: int) -> None:
        with self._engine.begin() as connection:
            connection.execute(self._sql.set, self._entry(key, value, ttl))
        self._maybe_sweep()

    def add(self, key: str, value: Any, ttl: int) -> bool:
        with self._engine.begin() as connection:
            added = connection.execute(self._sql.add, self._entry(key, value, ttl)).first()
        self._maybe_sweep()
        return added is not None

    def pop(self, key: str) -> Any | None:
        with self._engine.begin() as connection:
            raw = connection.execute(self._sql.pop, self._key(key)).scalar()
        return None if raw is None else json.loads(raw)

    def incr(self, key: str, ttl: int) -> int:
        entry = self._entry(key, 1, ttl)
        with self._engine.begin() as connection:
            connection.execute(self._sql.drop_expired, entry)
            value = connection.execute(self._sql.bump, entry).scalar()
        return int(value)

    def _key(self, key: str) -> dict[str, Any]:
        return {"key": self._prefix + key, "now": utcnow()}

    def _entry(self, key: str, value: Any, ttl: int) -> dict[str, Any]:
        now = utcnow()
        return {"key": self._prefix + key, "value": json.dumps(value), "now": now,
                "expires": now + timedelta(seconds=max(int(ttl), 1))}

    def _maybe_sweep(self) -> None:
        if random.random() < SWEEP_CHANCE:  # noqa: S311 - load spreading, not security
            with self._engine.begin() as connection:
                connection.execute(self._sql.sweep, {"now": utcnow()})
