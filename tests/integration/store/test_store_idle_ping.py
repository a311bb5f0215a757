"""A pooled PostgreSQL connection that died while idle is replaced before a request uses it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from lti_tool.store import database as database_module
from lti_tool.store.database import Database


def backend_pid(database: Database, *, read_only: bool) -> int:
    unit = database.read_session() if read_only else database.session()
    with unit as session:
        return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


@pytest.mark.parametrize("read_only", [True, False], ids=["read", "write"])
def test_a_connection_killed_while_idle_is_replaced(
        monkeypatch: pytest.MonkeyPatch, postgres_database_url: str, read_only: bool) -> None:
    database = Database(postgres_database_url)
    try:
        first = backend_pid(database, read_only=read_only)
        other = Database(postgres_database_url)  # another client ends the pooled connection
        with other.session() as session:
            assert session.execute(text("SELECT pg_terminate_backend(:pid)"),
                                   {"pid": first}).scalar_one() is True
        other.dispose()
        monkeypatch.setattr(database_module, "IDLE_PING_SECONDS", 0.0)
        second = backend_pid(database, read_only=read_only)
        assert second != first
        with database.session() as session:  # and writes still work afterwards
            assert session.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        database.dispose()
