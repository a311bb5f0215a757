"""A tenant's evidence settings and its reporting lines (as the HRIS reports them)."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import InvalidInput, NotFound
from lti_tool.store.repositories.people_evidence import TenantSettings
from lti_tool.usecases import tenant_evidence_settings as settings
from tests.support.fakes import InMemoryDatabase


def test_both_settings_start_off_and_change_one_at_a_time(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    assert settings.evidence_settings(db, tenant.id) == TenantSettings(False, False)
    settings.change_evidence_settings(db, tenant.id, managers_may_observe=True)
    now = settings.change_evidence_settings(db, tenant.id, self_ratings_count=True)
    assert now == TenantSettings(managers_may_observe=True, self_ratings_count=True)
    assert settings.change_evidence_settings(db, tenant.id) == now  # None: unchanged


def test_settings_are_per_tenant(db: InMemoryDatabase) -> None:
    acme, globex = db.add_tenant("acme"), db.add_tenant("globex")
    settings.change_evidence_settings(db, acme.id, True, True)
    assert settings.evidence_settings(db, globex.id) == TenantSettings()


def test_a_manager_is_recorded_and_ended(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    boss, worker = (db.add_person(tenant.id, sub) for sub in ("boss", "worker"))
    settings.set_manager(db, tenant.id, worker.id, boss.id, True)
    with db.read_unit_of_work() as uow:
        assert uow.evidence_settings(tenant.id).manages(boss.id, worker.id)
        assert not uow.evidence_settings(tenant.id).manages(worker.id, boss.id)
    settings.set_manager(db, tenant.id, worker.id, boss.id, False)
    with db.read_unit_of_work() as uow:
        assert not uow.evidence_settings(tenant.id).manages(boss.id, worker.id)


def test_nobody_manages_themselves(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    person = db.add_person(tenant.id, "p")
    with pytest.raises(InvalidInput) as refused:
        settings.set_manager(db, tenant.id, person.id, person.id, True)
    assert refused.value.errors == {"manager_id": ["choose another person"]}


def test_another_tenants_person_is_not_found_and_nothing_is_recorded(
        db: InMemoryDatabase) -> None:
    acme, globex = db.add_tenant("acme"), db.add_tenant("globex")
    ours, theirs = db.add_person(acme.id, "ours"), db.add_person(globex.id, "theirs")
    with pytest.raises(NotFound, match=f"person {theirs.id} does not exist"):
        settings.set_manager(db, acme.id, ours.id, theirs.id, True)
    with pytest.raises(NotFound):
        settings.set_manager(db, acme.id, theirs.id, ours.id, True)
    with pytest.raises(NotFound):
        settings.set_manager(db, acme.id, ours.id, 999, True)
    assert not db.tables.reporting_lines
