"""The demo's sandbox course, known to the tool before anyone launches, and mapped.

`careerpath demo` registers the sandbox's "Data Analytics Foundations" course with its
AGS/NRPS endpoints, connects the sandbox's Moodle web services (native activities), syncs
it, and links its gradable and native items to the demo competencies with
evidence rules, so the first launch already shows real levels and readiness.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...domain.rules import AllOf, Completed, Condition, EvidenceRule, ScoreAtLeast
from ...store.database import Database
from ...store.repositories import CourseRepository, TaxonomyRepository
from ...store.repositories.sync import SyncRepository
from ..connectors import ConnectInput, connect_platform

DEMO_CONTEXT = "course-101"
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPES = (AGS + "lineitem", AGS + "result.readonly", AGS + "score",
          "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly")


@dataclass(frozen=True)
class DemoRule:
    item_title: str
    competency_code: str
    level: int
    condition: Condition


DEMO_RULES = (
    DemoRule("SQL Fundamentals quiz", "PD.ANL.SQL", 2, AllOf((Completed(), ScoreAtLeast(80)))),
    DemoRule("SQL Fundamentals quiz", "PD.ANL.SQL", 3, AllOf((Completed(), ScoreAtLeast(95)))),
    DemoRule("Dashboard project", "PD.ANL.VIS", 2, AllOf((Completed(), ScoreAtLeast(70)))),
    DemoRule("Dashboard project", "PD.ANL.VIS", 3, AllOf((Completed(), ScoreAtLeast(90)))),
    DemoRule("Spreadsheet modelling lab", "PD.ANL.MOD", 2, ScoreAtLeast(60)),
    DemoRule("Data cleaning exercise", "PD.ANL.ETL", 2, ScoreAtLeast(60)),
    DemoRule("Statistics checkpoint", "PD.ANL.STA", 2, ScoreAtLeast(70)),
    # native activities, read through the connector to the sandbox's Moodle web services
    DemoRule("SQL fundamentals quiz (native)", "PD.ANL.SQL", 2,
             AllOf((Completed(), ScoreAtLeast(75)))),
    DemoRule("Dashboard assignment (native)", "PD.ANL.VIS", 2,
             AllOf((Completed(), ScoreAtLeast(70)))),
    DemoRule("Reading: designing experiments (native page)", "PD.ANL.EXP", 1, Completed()),
)


def prepare_demo_course(database: Database, tenant_id: int, registration_id: int,
                        lms_url: str) -> int:
    """The demo course with its LMS endpoints (as a launch would record them); its id."""
    with database.session() as session:
        course = CourseRepository(session).upsert_course(
            tenant_id, DEMO_CONTEXT, registration_id, title="Data Analytics Foundations",
            label="DAF101")
        SyncRepository(session).save_services(
            course.id, f"{lms_url}/api/courses/{DEMO_CONTEXT}/memberships",
            f"{lms_url}/api/courses/{DEMO_CONTEXT}/lineitems", SCOPES)
        return course.id


def connect_demo_platform(database: Database, secret_key: str, registration_id: int,
                          lms_url: str, token: str) -> None:
    """Connect the sandbox's Moodle web services, so native activities feed readiness."""
    connect_platform(database, secret_key, ConnectInput(registration_id, "moodle", lms_url,
                                                        token=token))


def map_demo_course(database: Database, tenant_id: int, course_id: int) -> int:
    """Add the demo's evidence rules for items already synced; the number added."""
    added = 0
    with database.session() as session:
        courses, taxonomy = CourseRepository(session), TaxonomyRepository(session)
        items = {item.title: item for item in courses.lms_items(course_id)}
        existing = {(r.lms_item_id, r.competency_id, r.level)
                    for r in courses.rules_for_course(course_id)}
        codes = {c.code: c.id for f in taxonomy.frameworks(tenant_id) for c in f.competencies}
        for rule in DEMO_RULES:
            item, competency = items.get(rule.item_title), codes.get(rule.competency_code)
            if item is None or competency is None:
                continue
            if (str(item.id), competency, rule.level) in existing:
                continue
            courses.add_rule(EvidenceRule("", str(item.id), competency, rule.level,
                                          rule.condition))
            added += 1
    return added
