"""Who may judge whom: instructors their course's learners, managers where the tenant allows.

The same rules serve the LMS pages and the REST API: an LMS page names the launch's own
course; an API call names the acting person and any course they teach the learner in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from ..domain.errors import NotAllowed
from ..lti.roles import VOCAB
from ..records import Person
from ..store.repositories.mentor_links import MentorLinkRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.people_evidence import PeopleEvidenceRepository
from ..store.repositories.statements import pk
from ..store.repositories.tenant_scope import TenantScope
from .course_mapping import LEARNER_ROLE_MARK

COURSE_STAFF = frozenset({"Instructor", "TeachingAssistant", "ContentDeveloper",
                          "Administrator"})
MENTOR = "Mentor"


def context_roles(roles: Iterable[str]) -> set[str]:
    """Principal context role names (`Instructor` for `membership#Instructor`, a sub-role
    or the short name); institution and system roles are left out."""
    found = set()
    prefix = VOCAB + "membership"
    for role in roles:
        if role.startswith(prefix + "/"):
            found.add(role[len(prefix) + 1:].split("#", 1)[0])
        elif role.startswith(prefix + "#"):
            found.add(role[len(prefix) + 1:])
        elif not role.startswith(("http://", "https://")):
            found.add(role.strip())
    return found


def tenant_person(session: Session, tenant_id: int | str, person_id: int | str) -> Person:
    """The tenant's person, or NotFound (another tenant's person is not there)."""
    return TenantScope(session, tenant_id).person(person_id)


def _memberships(session: Session, person_id: int | str) -> dict[int, set[str]]:
    rows = PersonRepository(session).active_membership_roles(person_id)
    return {course: context_roles(roles.split()) for course, roles in rows}


def _learns_in(session: Session, learner_id: int | str) -> set[int]:
    return {course for course, roles in _memberships(session, learner_id).items()
            if not roles or LEARNER_ROLE_MARK in roles}


def teaches(session: Session, tenant_id: int | str, actor_id: int | str,
            learner_id: int | str, course_id: int | None = None) -> bool:
    """Whether the actor is staff of a course (the given one) the learner learns in."""
    tenant_person(session, tenant_id, actor_id)
    tenant_person(session, tenant_id, learner_id)
    learning = _learns_in(session, learner_id)
    staffed = {course for course, roles in _memberships(session, actor_id).items()
               if roles & COURSE_STAFF}
    shared = learning & staffed
    return bool(shared if course_id is None else shared & {course_id})


def check_reviewer(session: Session, tenant_id: int | str, actor_id: int | str,
                   learner_id: int | str, course_id: int | None = None) -> None:
    """NotAllowed unless the actor teaches the learner (in the given course)."""
    if not teaches(session, tenant_id, actor_id, learner_id, course_id):
        raise NotAllowed("only an instructor of the learner's course may do this")


def observer_kind(session: Session, tenant_id: int | str, actor_id: int | str,
                  learner_id: int | str, course_id: int | None = None,
                  mentees: Collection[int] | None = None) -> bool:
    """Whether the actor observes as a manager (False: as instructor); NotAllowed if neither.

    A manager is the learner's manager in the HRIS data or the learner's Mentor, and counts
    only where the tenant turned managers' observations on. A Mentor launch passes
    `mentees` (the people its role_scope_mentor claim named): then only those count. Without
    them (the REST API), a Mentor of a course (the given one) counts for the people the
    Mentor's last launch there named (the links `mentoring.keep_mentees` stored), never
    for every learner of the course.
    """
    if teaches(session, tenant_id, actor_id, learner_id, course_id):
        return False
    evidence = PeopleEvidenceRepository(session, tenant_id)
    if evidence.settings().managers_may_observe:
        if evidence.manages(actor_id, learner_id):
            return True
        if mentees is not None:
            if pk(learner_id) in mentees:
                return True
            raise NotAllowed("a Mentor may observe only the people they mentor")
        mentoring = {course for course, roles in _memberships(session, actor_id).items()
                     if MENTOR in roles and (course_id is None or course == course_id)}
        if mentoring and pk(actor_id) != pk(learner_id) and mentoring & MentorLinkRepository(
                session, tenant_id).courses_linking(actor_id, learner_id):
            return True
    raise NotAllowed("only an instructor of the learner's course (or, where the "
                     "organisation allows it, their manager or LMS Mentor) may record an "
                     "observation")
