"""A person's current role: picked by the learner from the tenant's lattice, or from the HRIS.

Once the HRIS has recorded a role change for a person, their current role is the HRIS's
and the learner sees it read-only; readiness and next roles follow whichever it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..domain.errors import Conflict, NotFound
from ..store.database import Database
from ..store.repositories.hris import HrisRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.statements import pk
from ..store.repositories.tenant_scope import TenantScope
from .evidence_authors import tenant_person

FROM_HRIS, FROM_LEARNER = "hris", "learner"


@dataclass(frozen=True)
class CurrentRole:
    """The role the person holds now (None: not said) and who says so."""

    person_id: int
    role_id: int | None
    source: str

    @property
    def editable(self) -> bool:
        return self.source != FROM_HRIS


def current_role(database: Database, tenant_id: int, person_id: int) -> CurrentRole:
    with database.read_session() as session:
        row = tenant_person(session, tenant_id, person_id)
        return CurrentRole(row.id, row.current_role_id, _source(session, row.id))


def choose_current_role(database: Database, tenant_id: int, person_id: int,
                        role_id: int | str | None) -> CurrentRole:
    """Set the learner's current role (None clears it); Conflict when the HRIS owns it."""
    with database.session() as session:
        row = tenant_person(session, tenant_id, person_id)
        if _source(session, row.id) == FROM_HRIS:
            raise Conflict("your organisation's HR system sets your current role")
        if role_id not in (None, ""):
            try:
                held = TenantScope(session, row.tenant_id).has_role(role_id)
            except (TypeError, ValueError):
                held = False
            if not held:
                raise NotFound(f"role {role_id} does not exist")
            role_id = pk(role_id)
        else:
            role_id = None
        PersonRepository(session).set_current_role(row.id, role_id)
        return CurrentRole(row.id, role_id, FROM_LEARNER)


def _source(session: Session, person_id: int) -> str:
    return FROM_HRIS if HrisRepository(session).has_role_change(person_id) else FROM_LEARNER
