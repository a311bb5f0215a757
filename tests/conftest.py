"""Database fixtures: every store test runs on SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from lti_tool.config import in_ci, service_url_for_tests
from lti_tool.store import Database, upgrade
from lti_tool.store.database import engine_url
from tests.support.chromium import launched_chromium

POSTGRES_HINT = ("PostgreSQL not configured: set "
                 "CAREERPATH_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careerpath.db'}"
        return
    yield from _fresh_postgres_database()


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL has (skipped without one)."""
    yield from _fresh_postgres_database()


def _fresh_postgres_database() -> Iterator[str]:
    admin_url = service_url_for_tests("postgres")
    if admin_url is None:
        if in_ci():
            pytest.fail(f"CI is set but {POSTGRES_HINT}")
        pytest.skip(POSTGRES_HINT)
    admin = create_engine(engine_url(admin_url), isolation_level="AUTOCOMMIT",
                          poolclass=NullPool)
    name = f"cp_test_{uuid.uuid4().hex[:16]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield engine_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def migrated_db(database_url: str) -> Iterator[Database]:
    """A Database upgraded to the newest migration."""
    upgrade(database_url)
    db = Database(database_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The one Chromium of the test session (tests/support/chromium.py says why one)."""
    yield from launched_chromium()
