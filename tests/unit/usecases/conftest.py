"""Use cases over the in-memory unit of work: no database, no app, no network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.fakes import InMemoryDatabase

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def db() -> InMemoryDatabase:
    return InMemoryDatabase(clock=lambda: NOW)
