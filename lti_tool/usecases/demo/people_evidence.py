"""The demo course's people's evidence: an accepted project, one waiting, an observation,
and managers' observations turned on, so that the demo's LMS Mentor can observe its mentee.

Runs after the demo course is synced (its learners and instructor known); safe to run
again: nothing is added once the demo's first learner has a project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ...store.database import Database
from ...store.repositories import TaxonomyRepository
from ...store.repositories.courses import CourseRepository
from ...store.repositories.people_evidence import PeopleEvidenceRepository
from ..course_mapping import LEARNER_ROLE_MARK
from ..evidence_authors import COURSE_STAFF, context_roles
from ..observations import record_observation
from ..projects import accept_project, submit_project
from ..tenant_evidence_settings import change_evidence_settings


@dataclass(frozen=True)
class DemoEvidence:
    """What was added: (accepted project, waiting project, observation) ids, or nothing."""

    accepted: str = ""
    waiting: str = ""
    observation: str = ""


def seed_demo_evidence(database: Database, tenant_id: int, course_id: int,
                       now: datetime) -> DemoEvidence:
    """The first learner's dashboard project accepted at 3 and an instructor's observation
    of their SQL; the second learner's SQL project waiting in the review queue."""
    with database.read_session() as session:
        members = CourseRepository(session).active_member_roles(course_id)
        codes = {c.code: c.id for f in TaxonomyRepository(session).frameworks(tenant_id)
                 for c in f.competencies}
        learners = [p for p, roles in members
                    if not roles or LEARNER_ROLE_MARK in context_roles(roles.split())]
        staff = [p for p, roles in members if context_roles(roles.split()) & COURSE_STAFF]
        done = learners and PeopleEvidenceRepository(session, tenant_id).has_submission(
            learners[0])
    if len(learners) < 2 or not staff or done or not {"PD.ANL.VIS", "PD.ANL.SQL"} <= set(codes):
        return DemoEvidence()
    first, second, teacher = learners[0], learners[1], staff[0]
    sent = submit_project(database, tenant_id, first, codes["PD.ANL.VIS"],
                          "https://dashboards.northwind.example/churn", "Churn dashboard",
                          now - timedelta(days=3))
    accept_project(database, tenant_id, teacher, sent.id, 3, now - timedelta(days=2),
                   course_id)
    seen = record_observation(database, tenant_id, teacher, first, codes["PD.ANL.SQL"], 2, 2,
                              "Wrote the cohort query for the churn dashboard unaided.",
                              now - timedelta(days=1), course_id)
    waiting = submit_project(database, tenant_id, second, codes["PD.ANL.SQL"],
                             "https://git.northwind.example/analytics/retention-sql",
                             "Retention queries", now)
    return DemoEvidence(sent.id, waiting.id, seen.id)


def let_demo_mentors_observe(database: Database, tenant_id: int) -> None:
    """Turn managers' observations on in the demo organisation: its course has a Mentor
    (the sandbox's `mentor`) whose launches name one learner in role_scope_mentor."""
    change_evidence_settings(database, tenant_id, managers_may_observe=True)
