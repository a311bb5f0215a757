"""0007_invitations on a database holding registrations: statuses, policies, deployments kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from lti_tool.store.database import create_database_engine
from lti_tool.store.migrate import downgrade, upgrade

WHEN = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def _rows(url: str, sql: str) -> list[tuple]:
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def test_existing_registrations_stay_active_and_keep_their_deployments(
        database_url: str) -> None:
    upgrade(database_url, "0006_cache_entries")
    engine = create_database_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO tenants (id, slug, name, url, created_at) "
                "VALUES (1, 't', 'T', '', :when)"), {"when": WHEN})
            for n, via in ((1, "manual"), (2, "dynamic")):
                connection.execute(text(
                    "INSERT INTO platform_registrations (id, tenant_id, issuer, client_id, name, "
                    "auth_login_url, auth_token_url, keyset_url, registered_via, created_at) "
                    "VALUES (:id, 1, 'https://lms.example', :client, '', 'https://a', "
                    "'https://t', 'https://k', :via, :when)"),
                    {"id": n, "client": f"c{n}", "via": via, "when": WHEN})
                connection.execute(text(
                    "INSERT INTO deployments (id, registration_id, deployment_id, enabled, "
                    "created_at) VALUES (:id, :id, :dep, :on, :when)"),
                    {"id": n, "dep": f"d{n}", "on": n == 1, "when": WHEN})
    finally:
        engine.dispose()
    upgrade(database_url)
    assert _rows(database_url, "SELECT id, status, deployment_policy FROM "
                               "platform_registrations ORDER BY id") == [
        (1, "active", "listed"), (2, "active", "announced")]
    for update in ("UPDATE platform_registrations SET status = 'bogus'",
                   "UPDATE platform_registrations SET deployment_policy = 'bogus'"):
        engine = create_database_engine(database_url)
        try:
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(text(update))
        finally:
            engine.dispose()
    deployments = "SELECT registration_id, deployment_id, enabled FROM deployments ORDER BY id"
    assert _rows(database_url, deployments) == [(1, "d1", True), (2, "d2", False)]
    downgrade(database_url, "0006_cache_entries")
    assert _rows(database_url, deployments) == [(1, "d1", True), (2, "d2", False)]
    assert _rows(database_url, "SELECT count(*) FROM platform_registrations") == [(2,)]
