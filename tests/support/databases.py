"""Databases for tests: empty ones, and migrated ones copied from a template.

Running every migration for every test cost more than most tests themselves. Now each test
session migrates once into a template and every test gets a copy: SQLite through its
backup API (a consistent copy even with WAL), PostgreSQL with `CREATE DATABASE ...
TEMPLATE ...`. Tests of the migrations themselves start from an empty database.

Dropping a PostgreSQL database waits for a checkpoint (about a second on this machine), so a
test's database is dropped by a background thread of the test process while the next tests
run; the process waits for every drop before it exits.
"""

from __future__ import annotations

import atexit
import functools
import queue
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from lti_tool.config import in_ci, service_url_for_tests
from lti_tool.store import upgrade
from lti_tool.store.database import engine_url

POSTGRES_HINT = ("PostgreSQL not configured: set "
                 "CAREERPATH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test")


def migrated_sqlite_url(path: Path) -> str:
    """A SQLite file at `path` holding the newest schema (a copy of the session's template)."""
    with closing(sqlite3.connect(_sqlite_template())) as source, \
            closing(sqlite3.connect(path)) as target:
        source.backup(target)
    return f"sqlite:///{path}"


@functools.cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="careerpath-test-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def fresh_postgres_database(migrated: bool = False) -> Iterator[str]:
    """Yield the URL of a new PostgreSQL database (migrated: a copy of the template), then
    drop it; skips the test when no PostgreSQL is configured (fails in CI)."""
    admin_url = service_url_for_tests("postgres")
    if admin_url is None:
        if in_ci():
            pytest.fail(f"CI is set but {POSTGRES_HINT}")
        pytest.skip(POSTGRES_HINT)
    template = _postgres_template(admin_url) if migrated else None
    name = f"cp_test_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine(admin_url)
    try:
        with admin.connect() as connection:
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
        yield _database_url(admin_url, name)
    finally:
        admin.dispose()
        _dropper().put((admin_url, name))


@functools.cache
def _postgres_template(admin_url: str) -> str:
    """A database migrated once per session; nothing stays connected to it (a template
    cannot be copied while anyone is)."""
    name = f"cp_template_{uuid.uuid4().hex[:16]}"
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    atexit.register(_drop_database, admin_url, name)
    upgrade(_database_url(admin_url, name))
    return name


@functools.cache
def _dropper() -> queue.Queue[tuple[str, str] | None]:
    """The queue of databases to drop, emptied by one background thread; at exit the
    process waits until every database in it is dropped."""
    todo: queue.Queue[tuple[str, str] | None] = queue.Queue()
    failures: list[BaseException] = []

    def drop_each() -> None:
        while (item := todo.get()) is not None:
            try:
                _drop_database(*item)
            except Exception as error:  # noqa: BLE001 - reported at exit
                failures.append(error)

    thread = threading.Thread(target=drop_each, name="drop-test-databases", daemon=True)
    thread.start()

    def finish() -> None:
        todo.put(None)
        thread.join()
        if failures:
            raise RuntimeError(f"could not drop {len(failures)} test database(s): {failures[0]}")

    atexit.register(finish)
    return todo


def _drop_database(admin_url: str, name: str) -> None:
    admin = _admin_engine(admin_url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _admin_engine(admin_url: str) -> Engine:
    return create_engine(engine_url(admin_url), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _database_url(admin_url: str, name: str) -> str:
    return engine_url(admin_url).set(database=name).render_as_string(hide_password=False)
