"""Fixtures for interchange tests: two tenants in a migrated database."""

from __future__ import annotations

import pytest

from lti_tool.store import Database
from lti_tool.store.repositories.tenants import TenantRepository


@pytest.fixture
def tenant(migrated_db: Database) -> str:
    with migrated_db.session() as session:
        TenantRepository(session).ensure("acme", "Acme Corp", "https://acme.test")
        TenantRepository(session).ensure("globex", "Globex", "https://globex.test")
    return "acme"
