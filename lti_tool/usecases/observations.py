"""Observations and endorsements: an instructor (or a manager) records a level they saw.

Each observation is evidence with its author and time: `instructor_observation` from a
course's staff, `manager_endorsement` from a manager where the tenant allows managers.
Only its author may withdraw it; the evidence goes, the record stays marked withdrawn.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from ..domain.errors import NotAllowed
from ..domain.evidence import Evidence, EvidenceKind
from ..domain.people_evidence import (
    MAX_NOTE_LENGTH,
    Observation,
    bounded_text,
    chosen_anchor,
    scale_level,
)
from ..store.database import Database
from ..store.repositories.evidence import EvidenceRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.people_evidence import PeopleEvidenceRepository, observation_record
from .class_view import person_name
from .evidence_authors import observer_kind, tenant_person
from .projects import competency_in, evidence_changed


def record_observation(database: Database, tenant_id: int, author_id: int, learner_id: int,
                       competency_id: int | str, level: int | str | None,
                       anchor_level: int | str | None, note: str, now: datetime,
                       course_id: int | None = None,
                       mentees: Collection[int] | None = None) -> Observation:
    """Record what the author saw: a level of the scale, an anchor that backs it, a note.

    `mentees`: the author acts from a Mentor launch, which may observe only these people.
    """
    note = bounded_text(note, "note", MAX_NOTE_LENGTH)
    with database.session() as session:
        as_manager = observer_kind(session, tenant_id, author_id, learner_id, course_id,
                                   mentees)
        competency, framework = competency_in(session, tenant_id, competency_id)
        value = scale_level(framework, level)
        anchor = chosen_anchor(framework, competency.id, anchor_level, value)
        store = PeopleEvidenceRepository(session, tenant_id)
        row = store.add_observation(learner_id, competency.id, author_id, value, anchor, note,
                                    as_manager, now)
        kind = (EvidenceKind.MANAGER_ENDORSEMENT if as_manager
                else EvidenceKind.INSTRUCTOR_OBSERVATION)
        recorded, _ = EvidenceRepository(session).record(tenant_id, Evidence(
            kind, str(learner_id), now, float(value), competency_id=competency.id,
            source_ref=f"observation:{row.id}", verifier=f"person:{author_id}"))
        row.evidence_id = int(recorded.id)
        session.flush()
        evidence_changed(session, tenant_id, learner_id, recorded, "observation")
        return observation_record(row)


def withdraw_observation(database: Database, tenant_id: int, author_id: int,
                         observation_id: int | str, now: datetime) -> None:
    """Withdraw the author's own observation (NotAllowed for anyone else's)."""
    with database.session() as session:
        store = PeopleEvidenceRepository(session, tenant_id)
        row = store.observation_row(observation_id)
        if row.author_id != author_id:
            raise NotAllowed("only the author of an observation may withdraw it")
        store.drop_evidence(row.evidence_id)
        row.evidence_id, row.withdrawn_at = None, now
        session.flush()
        evidence_changed(session, tenant_id, row.person_id, None, "observation")


def observations_of(database: Database, tenant_id: int,
                    learner_id: int) -> list[Observation]:
    """A learner's standing observations, newest first."""
    with database.read_session() as session:
        tenant_person(session, tenant_id, learner_id)
        return PeopleEvidenceRepository(session, tenant_id).observations_of(learner_id)


def course_observations(database: Database, tenant_id: int,
                        course_id: int) -> list[Observation]:
    """Standing observations of a course's learners, newest first."""
    with database.read_session() as session:
        return PeopleEvidenceRepository(session, tenant_id).observations_in_course(course_id)


def author_names(database: Database, tenant_id: int,
                 found: list[Observation]) -> dict[str, str]:
    """The display name of each observation's author (by person id)."""
    ids = {int(o.author_id) for o in found if o.author_id}
    if not ids:
        return {}
    with database.read_session() as session:
        people = PersonRepository(session).of_tenant(tenant_id, ids)
        return {str(person.id): person_name(person) for person in people}
