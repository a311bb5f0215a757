"""People of a tenant for the REST API: HRIS imports, evidence, goals, export, erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..cache import Cache
from ..config import Settings
from ..domain.errors import NotAllowed, NotFound
from ..domain.evidence import Evidence, EvidenceKind
from ..records import Person
from ..store.database import Database
from ..store.repositories.evidence import EvidenceRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.tenant_scope import TenantScope
from . import erasure
from .badges.issuing import issue_badges_for
from .catalogue import Page
from .events import EVIDENCE_ADDED, publish
from .ready_transitions import check_ready_transitions


@dataclass(frozen=True)
class PersonInput:
    """A person as an HRIS import names them; `sub` is the LMS user id."""

    sub: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    locale: str | None = None
    current_role_id: int | None = None


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    value: float | None = None
    competency_id: int | None = None
    lms_item_id: int | None = None
    observed_at: datetime | None = None
    source_ref: str = ""
    verifier: str = ""


def list_people(database: Database, tenant_id: int, offset: int, limit: int) -> Page[Person]:
    with database.session() as session:
        return Page(*TenantScope(session, tenant_id).people_page(offset, limit))


def get_person(database: Database, tenant_id: int, person_id: int) -> Person:
    with database.session() as session:
        return TenantScope(session, tenant_id).person(person_id)


def import_person(database: Database, tenant_id: int, data: PersonInput) -> tuple[Person, bool]:
    """Create or update the person with `sub`; True when created."""
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        if data.current_role_id is not None:
            scope.check_role(data.current_role_id)
        people = PersonRepository(session)
        created = people.by_sub(tenant_id, data.sub) is None
        claims = {k: getattr(data, k) for k in ("name", "given_name", "family_name", "email",
                                               "locale")}
        person = people.upsert_person(tenant_id, data.sub, **claims)
        if data.current_role_id is not None:
            person = people.set_current_role(person.id, data.current_role_id)
        return person, created


def add_evidence(database: Database, tenant_id: int, person_id: int, data: EvidenceInput,
                 idempotency_key: str | None = None, settings: Settings | None = None,
                 author_key_id: int | None = None) -> tuple[Evidence, bool]:
    """Record evidence about a person (an endorsement, a certification, ...); True if new.

    With `settings`, new evidence then issues the badges it earns, after the evidence is
    committed (a badge failure is logged; the evidence stands).
    """
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.person(person_id)
        if data.competency_id is not None:
            scope.competency_ids([str(data.competency_id)])
        if data.lms_item_id is not None:
            scope.lms_item(data.lms_item_id)
        reference = data.source_ref or (f"api:{idempotency_key}" if idempotency_key else "")
        evidence = Evidence(
            kind=EvidenceKind(data.kind), learner_id=str(person_id),
            observed_at=data.observed_at or datetime.now(UTC), value=data.value,
            competency_id=_text(data.competency_id), lms_item_id=_text(data.lms_item_id),
            source_ref=reference, verifier=data.verifier)
        recorded, created = EvidenceRepository(session).record(tenant_id, evidence)
        if created:
            if author_key_id is not None:
                EvidenceRepository(session).set_author_key(int(recorded.id), author_key_id)
            publish(session, tenant_id, EVIDENCE_ADDED, {
                "source": "api", "person_id": person_id, "evidence_id": int(recorded.id),
                "kind": str(recorded.kind), "competency_id": data.competency_id,
                "lms_item_id": data.lms_item_id, "created": 1})
            check_ready_transitions(session, tenant_id, [person_id])
    if created and settings is not None:
        issue_badges_for(database, settings, tenant_id, [person_id], datetime.now(UTC))
    return recorded, created


def delete_evidence(database: Database, tenant_id: int, person_id: int, evidence_id: int,
                    author_key_id: int | None) -> None:
    """Delete evidence the calling API key recorded; any other evidence is NotAllowed."""
    with database.session() as session:
        TenantScope(session, tenant_id).person(person_id)
        evidence = EvidenceRepository(session)
        recorded_by = evidence.author_key_of(tenant_id, person_id, evidence_id)
        if author_key_id is None or recorded_by != author_key_id:
            raise NotAllowed("only the API key that recorded this evidence may delete it")
        evidence.delete(evidence_id)
        check_ready_transitions(session, tenant_id, [person_id])


def list_evidence(database: Database, tenant_id: int, person_id: int, offset: int,
                  limit: int) -> Page[Evidence]:
    with database.session() as session:
        TenantScope(session, tenant_id).person(person_id)
        found = EvidenceRepository(session).for_person(tenant_id, person_id)
    return Page(found[offset:offset + limit], len(found))


def goals(database: Database, tenant_id: int, person_id: int) -> list[str]:
    """The person's declared target roles' ids, oldest first."""
    with database.session() as session:
        TenantScope(session, tenant_id).person(person_id)
        return PersonRepository(session).goals(person_id)


def set_goal(database: Database, tenant_id: int, person_id: int, role_id: int,
             declared: bool, settings: Settings | None = None) -> list[str]:
    """Declare (or withdraw) one target role; the goals after the change.

    A declared goal the person is ready for raises person.ready_for_role; with `settings`,
    it then earns its readiness badge.
    """
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        scope.person(person_id)
        people = PersonRepository(session)
        if declared:
            scope.check_role(role_id)
            people.add_goal(person_id, role_id)
            check_ready_transitions(session, tenant_id, [person_id])
        elif str(role_id) not in people.goals(person_id):
            raise NotFound(f"goal {role_id} does not exist")
        else:
            people.remove_goal(person_id, role_id)
        found = people.goals(person_id)
    if declared and settings is not None:
        issue_badges_for(database, settings, tenant_id, [person_id], datetime.now(UTC))
    return found


def erase_person(database: Database, tenant_id: int, person_id: int,
                 cache: Cache | None = None) -> None:
    """Remove the person and what names them, keeping a tombstone (see usecases.erasure)."""
    erasure.erase_person(database, tenant_id, person_id, cache)


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


def _number(value: str | None) -> int | None:
    return None if value is None else int(value)



