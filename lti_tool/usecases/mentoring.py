"""The people a manager observes from the LMS: an LMS Mentor's mentees and HRIS reports.

A Mentor launch names whom the Mentor mentors in the platform's signed `role_scope_mentor`
claim (LTI 1.3 core 5.4.3: the mentees' `sub`s), kept with the launch session; the HRIS
data adds the people it says this person manages. Only where the tenant turned managers'
observations on does the Mentor see anyone; observations go through `observations` with
these people as the only ones a Mentor may observe.

The REST API sees no launch: `keep_mentees` stores each Mentor launch's claim as the
Mentor's links in its course (the latest claim replaces the former set), and the API's
observations read those links (see `evidence_authors.observer_kind`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..domain.people_evidence import Observation
from ..domain.taxonomy import Framework
from ..store.database import Database
from ..store.repositories import TaxonomyRepository
from ..store.repositories.erasure import ErasureRepository
from ..store.repositories.mentor_links import MentorLinkRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.people_evidence import PeopleEvidenceRepository
from .class_view import person_name


@dataclass(frozen=True)
class Mentee:
    """A person the Mentor may observe, and why (`lms`: the platform said; `hris`)."""

    person_id: int
    name: str
    source: str


@dataclass(frozen=True)
class MentorPeople:
    """What a Mentor's page may show: nothing at all unless the tenant enabled it."""

    enabled: bool
    mentees: list[Mentee] = field(default_factory=list)
    not_seen: int = 0  # mentees the platform named who have not opened CareerPath yet
    frameworks: list[Framework] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)  # the Mentor's own

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(m.person_id for m in self.mentees)


def mentor_people(database: Database, tenant_id: int, mentor_id: int,
                  mentee_subs: Iterable[str]) -> MentorPeople:
    """The Mentor's mentees (by the launch's `sub`s) and HRIS reports, the tenant's
    frameworks to observe against, and the Mentor's own standing observations of them."""
    subs = sorted({s for s in mentee_subs if s})
    with database.read_session() as session:
        evidence = PeopleEvidenceRepository(session, tenant_id)
        if not evidence.settings().managers_may_observe:
            return MentorPeople(False)
        people = PersonRepository(session)
        named = [p for p in people.by_subs(tenant_id, subs) if p.id != mentor_id]
        found = {p.id: Mentee(p.id, person_name(p), "lms") for p in named}
        reports = [i for i in evidence.reports_of(mentor_id) if i not in found]
        for person in people.of_tenant(tenant_id, reports):
            found[person.id] = Mentee(person.id, person_name(person), "hris")
        mentees = sorted(found.values(), key=lambda m: (m.name.casefold(), m.person_id))
        return MentorPeople(
            True, mentees, len(set(subs) - {p.sub for p in named}),
            list(TaxonomyRepository(session).frameworks(tenant_id)),
            evidence.observations_by(mentor_id, found) if found else [])


def keep_mentees(database: Database, tenant_id: int, course_id: int, mentor_id: int,
                 mentee_subs: Collection[str], now: datetime) -> bool:
    """Store a Mentor launch's mentees as the Mentor's whole set in the course (a mentee
    the claim no longer names loses the link; an erased person's `sub` is not kept). True
    when the set changed; an unchanged set (the usual relaunch) costs one read, no write."""
    wanted = {s for s in mentee_subs if s}
    with database.read_session() as session:
        stored = MentorLinkRepository(session, tenant_id).mentee_subs(course_id, mentor_id)
        if stored == wanted:
            return False
        wanted -= ErasureRepository(session).erased_among(tenant_id, wanted)
        if stored == wanted:
            return False
    with database.session() as session:
        MentorLinkRepository(session, tenant_id).replace(course_id, mentor_id, wanted, now)
    return True
