"""A tenant's settings for people's evidence, and the HRIS's reporting lines."""

from __future__ import annotations

from ..domain.errors import InvalidInput
from ..store.database import Database
from ..store.repositories.people_evidence import PeopleEvidenceRepository, TenantSettings
from .evidence_authors import tenant_person


def evidence_settings(database: Database, tenant_id: int) -> TenantSettings:
    with database.read_session() as session:
        return PeopleEvidenceRepository(session, tenant_id).settings()


def change_evidence_settings(database: Database, tenant_id: int,
                             managers_may_observe: bool | None = None,
                             self_ratings_count: bool | None = None) -> TenantSettings:
    """Turn managers' observations or counting self-ratings on or off (None: unchanged)."""
    with database.session() as session:
        store = PeopleEvidenceRepository(session, tenant_id)
        now = store.settings()
        return store.save_settings(TenantSettings(
            now.managers_may_observe if managers_may_observe is None else managers_may_observe,
            now.self_ratings_count if self_ratings_count is None else self_ratings_count))


def set_manager(database: Database, tenant_id: int, person_id: int, manager_id: int,
                manages: bool) -> None:
    """Record (or end) that `manager_id` manages `person_id`, as the HRIS says."""
    if person_id == manager_id:
        raise InvalidInput("a person does not manage themselves",
                           {"manager_id": ["choose another person"]})
    with database.session() as session:
        tenant_person(session, tenant_id, person_id)
        tenant_person(session, tenant_id, manager_id)
        store = PeopleEvidenceRepository(session, tenant_id)
        if manages:
            store.add_manager(manager_id, person_id)
        else:
            store.remove_manager(manager_id, person_id)
