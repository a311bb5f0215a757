"""A tenant's settings for people's evidence, and the HRIS's reporting lines."""

from __future__ import annotations

from ..domain.errors import InvalidInput, NotFound
from ..store.repositories.people_evidence import TenantSettings
from .ports import UnitOfWork, UnitsOfWork


def evidence_settings(database: UnitsOfWork, tenant_id: int) -> TenantSettings:
    with database.read_unit_of_work() as uow:
        return uow.evidence_settings(tenant_id).settings()


def change_evidence_settings(database: UnitsOfWork, tenant_id: int,
                             managers_may_observe: bool | None = None,
                             self_ratings_count: bool | None = None) -> TenantSettings:
    """Turn managers' observations or counting self-ratings on or off (None: unchanged)."""
    with database.unit_of_work() as uow:
        store = uow.evidence_settings(tenant_id)
        now = store.settings()
        return store.save_settings(TenantSettings(
            now.managers_may_observe if managers_may_observe is None else managers_may_observe,
            now.self_ratings_count if self_ratings_count is None else self_ratings_count))


def set_manager(database: UnitsOfWork, tenant_id: int, person_id: int, manager_id: int,
                manages: bool) -> None:
    """Record (or end) that `manager_id` manages `person_id`, as the HRIS says."""
    if person_id == manager_id:
        raise InvalidInput("a person does not manage themselves",
                           {"manager_id": ["choose another person"]})
    with database.unit_of_work() as uow:
        _check_in_tenant(uow, tenant_id, person_id)
        _check_in_tenant(uow, tenant_id, manager_id)
        store = uow.evidence_settings(tenant_id)
        if manages:
            store.add_manager(manager_id, person_id)
        else:
            store.remove_manager(manager_id, person_id)


def _check_in_tenant(uow: UnitOfWork, tenant_id: int, person_id: int) -> None:
    """NotFound unless the person is the tenant's (another tenant's person is not there)."""
    if uow.people.get(person_id).tenant_id != int(tenant_id):
        raise NotFound(f"person {person_id} does not exist")
