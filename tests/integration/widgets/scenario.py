"""A learner with evidence, course modules with rules and five people already in the goal role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.rules import Accepted, Completed, EvidenceRule, ScoreAtLeast
from lti_tool.store.database import Database
from lti_tool.store.models import CompetencyRow, FrameworkRow
from lti_tool.store.repositories import (
    CourseRepository,
    EvidenceRepository,
    PersonRepository,
    RoleRepository,
)
from lti_tool.store.repositories.hris import HrisRepository
from lti_tool.usecases.demo.seed import seed_demo

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
MODULES = (  # title, competency code, level, condition
    ("SQL Fundamentals quiz", "PD.ANL.SQL", 2, ScoreAtLeast(80)),
    ("Advanced SQL lab", "PD.ANL.SQL", 3, Completed()),
    ("Dashboard project", "PD.ANL.VIS", 3, Accepted()),
    ("Data modelling workshop", "PD.ANL.MOD", 2, Completed()),
    ("Experiment design course", "PD.ANL.EXP", 2, Completed()),
)


@dataclass(frozen=True)
class Scenario:
    tenant_id: int
    person_id: int
    course_id: int
    roles: dict[str, str]
    items: dict[str, str]
    competencies: dict[str, str]


def seed_scenario(database: Database, sub: str, name: str = "Amara Okafor",
                  registration_id: int | None = None, context_id: str = "course-101",
                  course_title: str = "Data Analytics Foundations") -> Scenario:
    """Seed the demo catalogue and give `sub` a current role, a course and some evidence."""
    with database.session() as session:
        tenant = seed_demo(session)
        people = PersonRepository(session)
        person = people.upsert_person(tenant.id, sub, name=name)
        roles = {r.name: r.id for r in RoleRepository(session).list(tenant.id)}
        people.set_current_role(person.id, roles["Data Analyst"])
        courses = CourseRepository(session)
        course = courses.upsert_course(tenant.id, context_id, registration_id,
                                       title=course_title, label="DAF101")
        courses.upsert_membership(course.id, person.id, "Learner")
        codes = dict(session.execute(select(CompetencyRow.code, CompetencyRow.id).join(
            FrameworkRow).where(FrameworkRow.tenant_id == tenant.id)).all())
        competencies = {code: str(i) for code, i in codes.items()}
        items = {}
        for index, (title, code, level, condition) in enumerate(MODULES):
            item = courses.upsert_lms_item(course.id, "line_item", f"li-{index}", title=title,
                                           score_maximum=100)
            items[title] = item.id
            courses.add_rule(EvidenceRule("", item.id, competencies[code], level, condition))
        _learner_evidence(EvidenceRepository(session), tenant.id, str(person.id), items,
                          competencies)
    return Scenario(tenant.id, person.id, course.id, roles, items, competencies)


def _learner_evidence(repo: EvidenceRepository, tenant_id: int, learner: str,
                      items: dict[str, str], competencies: dict[str, str]) -> None:
    """SQL level 2 from the quiz, visualisation 2 and stakeholder alignment 2 endorsed."""
    day = timedelta(days=1)
    found = [
        Evidence(EvidenceKind.LMS_COMPLETION, learner, START, 1.0,
                 lms_item_id=items["SQL Fundamentals quiz"], source_ref="quiz-done"),
        Evidence(EvidenceKind.LMS_SCORE, learner, START, 0.9,
                 lms_item_id=items["SQL Fundamentals quiz"], source_ref="quiz-score"),
        Evidence(EvidenceKind.MANAGER_ENDORSEMENT, learner, START + day, 2.0,
                 competency_id=competencies["PD.ANL.VIS"], source_ref="vis-endorsed"),
        Evidence(EvidenceKind.MANAGER_ENDORSEMENT, learner, START + day, 2.0,
                 competency_id=competencies["PD.STK.ALN"], source_ref="aln-endorsed"),
        Evidence(EvidenceKind.PEER_REVIEW, learner, START + 2 * day, 2.0,
                 competency_id=competencies["PD.ANL.ETL"], source_ref="etl-review"),
    ]
    for evidence in found:
        repo.record(tenant_id, evidence)


def seed_role_peers(database: Database, scenario: Scenario, role: str, count: int,
                    kind: str = "promotion") -> None:
    """`count` people who moved into `role` (an HRIS change of `kind` from Data Analyst);
    all completed the modelling workshop, every second one the SQL lab."""
    with database.session() as session:
        people, evidence = PersonRepository(session), EvidenceRepository(session)
        hris = HrisRepository(session)
        for n in range(count):
            peer = people.upsert_person(scenario.tenant_id, f"peer-{role}-{kind}-{n}",
                                        name=f"Peer {n}")
            people.set_current_role(peer.id, scenario.roles[role])
            hris.add_role_change(scenario.tenant_id, peer.id,
                                 None if kind == "hire" else int(scenario.roles["Data Analyst"]),
                                 int(scenario.roles[role]), kind, date(2025, 6, 1))
            done = ["Data modelling workshop"] + (["Advanced SQL lab"] if n % 2 else [])
            for title in done:
                evidence.record(scenario.tenant_id, Evidence(
                    EvidenceKind.LMS_COMPLETION, str(peer.id), START, 1.0,
                    lms_item_id=scenario.items[title], source_ref=f"{title}-{n}"))


def set_badge_level(database: Database, competency_id: str, level: int) -> None:
    """Mark a competency as earning a badge at `level`."""
    with database.session() as session:
        session.execute(update(CompetencyRow).where(CompetencyRow.id == int(competency_id))
                        .values(badge_level=level))
