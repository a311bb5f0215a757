"""The in-memory database behaves as a unit of work: all or nothing, reads never write."""

from __future__ import annotations

import pytest

from lti_tool.store.repositories.people_evidence import TenantSettings
from lti_tool.usecases import tenant_evidence_settings as settings
from tests.support.fakes import InMemoryDatabase, WriteInReadUnitOfWork


def test_a_unit_of_work_that_raises_keeps_nothing(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    with pytest.raises(RuntimeError), db.unit_of_work() as uow:
        uow.evidence_settings(tenant.id).save_settings(TenantSettings(True, True))
        raise RuntimeError("after the write")
    assert settings.evidence_settings(db, tenant.id) == TenantSettings()


def test_a_read_unit_of_work_refuses_writes(db: InMemoryDatabase) -> None:
    tenant = db.add_tenant("acme")
    with pytest.raises(WriteInReadUnitOfWork), db.read_unit_of_work() as uow:
        uow.evidence_settings(tenant.id).save_settings(TenantSettings(True, True))


def test_a_writing_unit_inside_another_is_refused(db: InMemoryDatabase) -> None:
    with pytest.raises(RuntimeError, match="one writing unit of work"), \
            db.unit_of_work(), db.unit_of_work():
        pass
    with db.unit_of_work() as uow:  # and the database is usable again
        uow.tenants.create("acme", "Acme")
    assert db.commits == 1
