"""Database fixtures: every store test runs on SQLite and, when configured, PostgreSQL.

The databases come from tests/support/databases.py: migrated ones are copies of a template
migrated once per test session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lti_tool.store import Database
from tests.support.chromium import launched_chromium
from tests.support.databases import fresh_postgres_database, migrated_sqlite_url

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'careerpath.db'}"
        return
    yield from fresh_postgres_database()


@pytest.fixture(params=BACKENDS)
def migrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh database at the newest migration (a copy of the template)."""
    if request.param == "sqlite":
        yield migrated_sqlite_url(tmp_path / "careerpath.db")
        return
    yield from fresh_postgres_database(migrated=True)


@pytest.fixture
def postgres_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database, for what only PostgreSQL has (skipped without one)."""
    yield from fresh_postgres_database()


@pytest.fixture
def migrated_db(migrated_database_url: str) -> Iterator[Database]:
    """A Database at the newest migration."""
    db = Database(migrated_database_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The one Chromium of the test session (tests/support/chromium.py says why one)."""
    yield from launched_chromium()
