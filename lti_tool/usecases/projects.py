"""Applied projects: a learner submits an artifact link, an instructor accepts or returns it.

Acceptance is `project_accepted` evidence: on the competency, at the level the reviewer
gave, and on every LMS item whose "project accepted" condition a rule for that competency
reads, so rules such as "completion + applied project accepted → level 3" fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.evidence import Evidence, EvidenceKind
from ..domain.people_evidence import (
    MAX_NOTE_LENGTH,
    MAX_TITLE_LENGTH,
    ProjectSubmission,
    SubmissionState,
    accepted_items,
    artifact_url,
    bounded_text,
    scale_level,
)
from ..domain.taxonomy import Competency, Framework
from ..store.catalogue import load_catalogue
from ..store.database import Database
from ..store.learner_context import load_learner_context
from ..store.repositories.evidence import EvidenceRepository
from ..store.repositories.people_evidence import PeopleEvidenceRepository
from ..store.repositories.tenant_scope import TenantScope
from .class_view import learner_rows, person_name
from .events import EVIDENCE_ADDED, publish
from .evidence_authors import check_reviewer, tenant_person
from .ready_transitions import check_ready_transitions


@dataclass(frozen=True)
class QueuedSubmission:
    """A submission waiting for review, with what the reviewer needs to judge it."""

    submission: ProjectSubmission
    learner_name: str
    competency: Competency
    framework: Framework


def competency_in(session: Session, tenant_id: int | str,
                  competency_id: int | str) -> tuple[Competency, Framework]:
    """The tenant's competency and its framework, or NotFound."""
    found = load_catalogue(session, tenant_id).competencies.get(str(competency_id))
    if found is None:
        raise NotFound(f"competency {competency_id} does not exist")
    return found


def submit_project(database: Database, tenant_id: int, person_id: int,
                   competency_id: int | str, url: str, title: str,
                   now: datetime) -> ProjectSubmission:
    """Submit an artifact link for review; one submission per competency waits at a time."""
    link = artifact_url(url)
    title = bounded_text(title, "title", MAX_TITLE_LENGTH)
    with database.session() as session:
        tenant_person(session, tenant_id, person_id)
        competency, _framework = competency_in(session, tenant_id, competency_id)
        store = PeopleEvidenceRepository(session, tenant_id)
        if any(s.competency_id == competency.id and s.state == SubmissionState.SUBMITTED
               for s in store.submissions_of(person_id)):
            raise Conflict("a project for this competency is already waiting for review")
        return store.add_submission(person_id, competency.id, title or competency.name,
                                    link, now)


def submissions(database: Database, tenant_id: int, person_id: int) -> list[ProjectSubmission]:
    """A learner's submissions with their state, newest first."""
    with database.read_session() as session:
        tenant_person(session, tenant_id, person_id)
        return PeopleEvidenceRepository(session, tenant_id).submissions_of(person_id)


def review_queue(database: Database, tenant_id: int, course_id: int) -> list[QueuedSubmission]:
    """What the course's learners submitted and nobody reviewed yet, oldest first."""
    with database.read_session() as session:
        TenantScope(session, tenant_id).course(course_id)
        catalogue = load_catalogue(session, tenant_id)
        learners = {str(row.id): row for row in learner_rows(session, course_id)}
        queue = []
        for found in PeopleEvidenceRepository(session, tenant_id).waiting_in_course(course_id):
            pair = catalogue.competencies.get(found.competency_id)
            if pair is not None and found.learner_id in learners:
                queue.append(QueuedSubmission(found, person_name(learners[found.learner_id]),
                                              *pair))
        return queue


def accept_project(database: Database, tenant_id: int, reviewer_id: int,
                   submission_id: int | str, level: int | str | None, now: datetime,
                   course_id: int | None = None) -> ProjectSubmission:
    """Accept a waiting submission at a level of the framework's scale."""
    with database.session() as session:
        store = PeopleEvidenceRepository(session, tenant_id)
        found = _waiting(store, submission_id)
        person_id = int(found.learner_id)
        check_reviewer(session, tenant_id, reviewer_id, person_id, course_id)
        _competency, framework = competency_in(session, tenant_id, found.competency_id)
        value = scale_level(framework, level)
        evidence = EvidenceRepository(session)
        recorded, _ = evidence.record(tenant_id, Evidence(
            EvidenceKind.PROJECT_ACCEPTED, found.learner_id, now, float(value),
            competency_id=found.competency_id, source_ref=f"project:{found.id}",
            verifier=f"person:{reviewer_id}"))
        rules = load_learner_context(session, tenant_id, person_id).rules
        for item in sorted(accepted_items(rules, found.competency_id), key=int):
            evidence.record(tenant_id, Evidence(
                EvidenceKind.PROJECT_ACCEPTED, found.learner_id, now, 1.0,
                lms_item_id=item, source_ref=f"project:{found.id}:item:{item}",
                verifier=f"person:{reviewer_id}"))
        reviewed = store.review_submission(found.id, SubmissionState.ACCEPTED, reviewer_id,
                                           now, level=value, evidence_id=int(recorded.id))
        evidence_changed(session, tenant_id, person_id, recorded, "project")
        return reviewed


def evidence_changed(session: Session, tenant_id: int, person_id: int,
                     recorded: Evidence | None, source: str) -> None:
    """Tell subscribers of new evidence (when there is some) and re-check readiness."""
    if recorded is not None:
        publish(session, tenant_id, EVIDENCE_ADDED, {
            "source": source, "person_id": person_id, "evidence_id": int(recorded.id),
            "kind": str(recorded.kind),
            "competency_id": None if recorded.competency_id is None
            else int(recorded.competency_id), "lms_item_id": None, "created": 1})
    check_ready_transitions(session, tenant_id, [person_id], recorded.observed_at
                            if recorded is not None else None)


def return_project(database: Database, tenant_id: int, reviewer_id: int,
                   submission_id: int | str, comment: str, now: datetime,
                   course_id: int | None = None) -> ProjectSubmission:
    """Return a waiting submission with a comment; the learner may submit again."""
    comment = bounded_text(comment, "comment", MAX_NOTE_LENGTH, required=True)
    with database.session() as session:
        store = PeopleEvidenceRepository(session, tenant_id)
        found = _waiting(store, submission_id)
        check_reviewer(session, tenant_id, reviewer_id, int(found.learner_id), course_id)
        return store.review_submission(found.id, SubmissionState.RETURNED, reviewer_id, now,
                                       comment=comment)


def _waiting(store: PeopleEvidenceRepository,
             submission_id: int | str) -> ProjectSubmission:
    try:
        found = store.submission(submission_id)
    except (ValueError, TypeError):
        raise InvalidInput("a submission id is a number") from None
    if found.state != SubmissionState.SUBMITTED:
        raise Conflict(f"this submission was {found.state.value} already")
    return found
