"""Learners for the launch benchmark: a course with rules, and evidence for each learner.

Every learner `bench-learner-NNNN` gets a current role from the demo lattice, a membership
in the bench course, often a goal, and 6–12 pieces of evidence (course modules with rules,
manager endorsements, peer reviews), so the readiness widget has real work on each launch.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.rules import Accepted, Completed, EvidenceRule, ScoreAtLeast
from lti_tool.store.database import Database
from lti_tool.store.models import CompetencyRow, FrameworkRow
from lti_tool.store.repositories import (
    CourseRepository,
    EvidenceRepository,
    PersonRepository,
    RoleRepository,
    TenantRepository,
)
from lti_tool.usecases.demo.seed import DEMO_SLUG

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
CURRENT_ROLES = ("Data Analyst", "Support Representative", "Product Manager I")
GOALS = ("Senior Data Analyst", "Product Manager II")
MODULES = (  # title, competency code, level, condition
    ("SQL Fundamentals quiz", "PD.ANL.SQL", 2, ScoreAtLeast(80)),
    ("Advanced SQL lab", "PD.ANL.SQL", 3, Completed()),
    ("Dashboard project", "PD.ANL.VIS", 3, Accepted()),
    ("Data modelling workshop", "PD.ANL.MOD", 2, Completed()),
    ("Experiment design course", "PD.ANL.EXP", 2, Completed()),
    ("Roadmapping workshop", "PD.PRD.RDM", 2, Completed()),
    ("Discovery interviews project", "PD.PRD.DSC", 3, Accepted()),
    ("Prioritisation quiz", "PD.PRD.PRI", 2, ScoreAtLeast(70)),
)


def seed_learners(database: Database, registration_id: int, context_id: str,
                  learners: int, seed: int = 20261123) -> None:
    """`learners` people with roles, a membership in `context_id` and evidence."""
    rng = random.Random(seed)
    with database.session() as session:
        tenant = TenantRepository(session).by_slug(DEMO_SLUG)
        if tenant is None:
            raise RuntimeError("seed the demo organisation first")
        roles = {r.name: r.id for r in RoleRepository(session).list(tenant.id)}
        codes = {code: str(i) for code, i in session.execute(
            select(CompetencyRow.code, CompetencyRow.id).join(FrameworkRow)
            .where(FrameworkRow.tenant_id == tenant.id)).all()}
        courses = CourseRepository(session)
        course = courses.upsert_course(tenant.id, context_id, registration_id,
                                       title="Bench course", label="BENCH")
        items = []
        for index, (title, code, level, condition) in enumerate(MODULES):
            item = courses.upsert_lms_item(course.id, "line_item", f"bench-li-{index}",
                                           title=title, score_maximum=100)
            courses.add_rule(EvidenceRule("", item.id, codes[code], level, condition))
            items.append(item.id)
        people, evidence = PersonRepository(session), EvidenceRepository(session)
        competencies = sorted(codes.values())
        for n in range(learners):
            person = people.upsert_person(tenant.id, f"bench-learner-{n:04d}",
                                          name=f"Bench Learner {n}")
            people.set_current_role(person.id, roles[CURRENT_ROLES[n % len(CURRENT_ROLES)]])
            if n % 2:
                people.add_goal(person.id, roles[GOALS[n % 4 // 2]])
            courses.upsert_membership(course.id, person.id, ["Learner"])
            for record in _evidence(rng, str(person.id), items, competencies):
                evidence.record(tenant.id, record)


def _evidence(rng: random.Random, learner: str, items: list[str],
              competencies: list[str]) -> list[Evidence]:
    found, day = [], timedelta(days=1)
    for i, item in enumerate(rng.sample(items, rng.randint(3, 6))):
        when = START + i * day
        found.append(Evidence(EvidenceKind.LMS_COMPLETION, learner, when, 1.0,
                              lms_item_id=item, source_ref=f"done-{item}"))
        found.append(Evidence(EvidenceKind.LMS_SCORE, learner, when, rng.uniform(0.5, 1.0),
                              lms_item_id=item, source_ref=f"score-{item}"))
    for i in range(rng.randint(1, 3)):
        kind = EvidenceKind.MANAGER_ENDORSEMENT if i % 2 == 0 else EvidenceKind.PEER_REVIEW
        found.append(Evidence(kind, learner, START + (10 + i) * day, float(rng.randint(1, 4)),
                              competency_id=rng.choice(competencies), source_ref=f"e-{i}"))
    return found
