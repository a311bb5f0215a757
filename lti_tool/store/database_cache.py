"""The shared cache in the database: correct across gunicorn workers and hosts, no Redis.

Every operation is its own short transaction; `add`, `pop` and `incr` are single atomic
statements (INSERT … ON CONFLICT, DELETE … RETURNING), so a nonce is good once and a
login state is consumed once even when two workers race. Expired rows are ignored on read
and swept now and then on write.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import Integer, Text, cast, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from .database import Database
from .models.cache import CacheEntryRow
from .types import utcnow

SWEEP_CHANCE = 0.01


class DatabaseCache:
    """A `lti_tool.cache.Cache` over the `cache_entries` table."""

    def __init__(self, database: Database, prefix: str = "") -> None:
        self._database = database
        self._prefix = prefix
        self._insert = postgresql.insert if database.dialect == "postgresql" else sqlite.insert

    def get(self, key: str) -> Any | None:
        with self._database.read_session() as session:
            raw = session.scalar(select(CacheEntryRow.value).where(
                CacheEntryRow.key == self._prefix + key, CacheEntryRow.expires_at > utcnow()))
        return None if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, ttl: int) -> None:
        row = self._row(key, value, ttl)
        statement = self._insert(CacheEntryRow).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": row["value"], "expires_at": row["expires_at"]})
        self._write(statement)

    def add(self, key: str, value: Any, ttl: int) -> bool:
        row = self._row(key, value, ttl)
        # one atomic statement: insert, or take over the key only when its entry has expired
        statement = self._insert(CacheEntryRow).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": row["value"], "expires_at": row["expires_at"]},
            where=CacheEntryRow.expires_at <= utcnow())
        with self._database.session() as session:
            added = session.execute(statement.returning(CacheEntryRow.key)).first()
        self._maybe_sweep()
        return added is not None

    def pop(self, key: str) -> Any | None:
        with self._database.session() as session:
            raw = session.scalar(delete(CacheEntryRow).where(
                CacheEntryRow.key == self._prefix + key, CacheEntryRow.expires_at > utcnow())
                .returning(CacheEntryRow.value))
        return None if raw is None else json.loads(raw)

    def incr(self, key: str, ttl: int) -> int:
        row = self._row(key, 1, ttl)
        with self._database.session() as session:
            session.execute(delete(CacheEntryRow).where(
                CacheEntryRow.key == row["key"], CacheEntryRow.expires_at <= utcnow()))
            bumped = cast(cast(CacheEntryRow.value, Integer) + 1, Text)
            value = session.scalar(self._insert(CacheEntryRow).values(**row).on_conflict_do_update(
                index_elements=["key"], set_={"value": bumped}).returning(CacheEntryRow.value))
        return int(value)

    def _row(self, key: str, value: Any, ttl: int) -> dict[str, Any]:
        return {"key": self._prefix + key, "value": json.dumps(value),
                "expires_at": utcnow() + timedelta(seconds=max(int(ttl), 1))}

    def _write(self, statement: Any) -> None:
        with self._database.session() as session:
            session.execute(statement)
        self._maybe_sweep()

    def _maybe_sweep(self) -> None:
        if random.random() < SWEEP_CHANCE:  # noqa: S311 - load spreading, not security
            with self._database.session() as session:
                session.execute(delete(CacheEntryRow).where(CacheEntryRow.expires_at <= utcnow()))
