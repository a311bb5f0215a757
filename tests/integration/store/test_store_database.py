"""The Database handle: driver choice, SQLite settings, unit of work, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError, StatementError

from lti_tool.store import Database, engine_url, upgrade
from lti_tool.store.database import ReadOnlyUnitOfWork
from lti_tool.store.models import EvidenceRow, TenantRow
from lti_tool.store.repositories import LtiRepository, PersonRepository, TenantRepository


def test_postgres_urls_use_psycopg3() -> None:
    assert engine_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert engine_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert engine_url("postgresql+psycopg://u@h/db").drivername == "postgresql+psycopg"
    assert engine_url("sqlite:///x.db").drivername == "sqlite"


def test_sqlite_creates_its_folder_and_sets_pragmas(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'cp.db'}"
    db = Database(url)
    try:
        with db.engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA busy_timeout").scalar() >= 1000
        assert (tmp_path / "deep" / "er").is_dir()
    finally:
        db.dispose()


def test_session_commits_on_success_and_rolls_back_on_error(migrated_db: Database) -> None:
    with migrated_db.session() as session:
        TenantRepository(session).ensure("kept", "Kept")
    with pytest.raises(RuntimeError), migrated_db.session() as session:
        TenantRepository(session).ensure("lost", "Lost")
        raise RuntimeError("boom")
    with migrated_db.session() as session:
        slugs = set(session.scalars(select(TenantRow.slug)))
    assert slugs == {"kept"}


def test_foreign_keys_are_enforced(migrated_db: Database) -> None:
    with pytest.raises(IntegrityError), migrated_db.session() as session:
        PersonRepository(session).upsert_person(999, "ghost")


def test_timestamps_come_back_aware_in_utc(migrated_db: Database) -> None:
    paris = timezone(timedelta(hours=2))
    activated = datetime(2025, 6, 1, 14, 30, 15, 123456, tzinfo=paris)
    with migrated_db.session() as session:
        LtiRepository(session).add_key("k1", "secret", {"kty": "RSA"}, activated_at=activated)
    with migrated_db.session() as session:
        key = LtiRepository(session).keys()[0]
        tenant = TenantRepository(session).ensure("t", "T")
    assert key.activated_at == activated
    assert key.activated_at is not None and key.activated_at.tzinfo == UTC
    assert key.activated_at.hour == 12
    assert tenant.created_at.tzinfo == UTC
    assert abs(datetime.now(UTC) - tenant.created_at) < timedelta(minutes=5)


def test_evidence_names_exactly_one_target(migrated_db: Database) -> None:
    with pytest.raises(IntegrityError), migrated_db.session() as session:
        tenant = TenantRepository(session).ensure("t", "T")
        person = PersonRepository(session).upsert_person(tenant.id, "s1")
        session.add(EvidenceRow(tenant_id=tenant.id, person_id=person.id, kind="external",
                                observed_at=datetime.now(UTC), source_ref="x"))
        session.flush()


def test_naive_datetimes_are_refused(migrated_db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"), migrated_db.session() as s:
        s.add(TenantRow(slug="n", name="N", created_at=datetime(2025, 1, 1)))  # noqa: DTZ001
        s.flush()


def test_migrated_db_fixture_is_at_head(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)  # a second upgrade is a no-op


def test_a_read_only_unit_of_work_refuses_to_write(migrated_db: Database) -> None:
    """On PostgreSQL read_session runs in autocommit: a write must fail, not be kept."""
    with pytest.raises(ReadOnlyUnitOfWork), migrated_db.read_session() as session:
        session.add(TenantRow(slug="orm-write", name="ORM write"))
        session.flush()
    with pytest.raises(ReadOnlyUnitOfWork), migrated_db.read_session() as session:
        session.execute(insert(TenantRow).values(slug="core-write", name="Core write"))
    with migrated_db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(TenantRow)) == 0
