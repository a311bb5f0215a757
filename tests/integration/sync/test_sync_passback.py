"""Score passback: after a sync, each learner's readiness reaches the readiness column."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.rules import EvidenceRule, ScoreAtLeast
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.sandbox import platform_of
from lti_tool.store.learner_context import load_learner_context
from lti_tool.store.models import CourseRow, LmsItemRow
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.roles import RoleRepository
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.readiness import learner_levels, readiness_report
from lti_tool.usecases.sync_jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_deep_linking_and_keys import deep_linking_picker
from tests.support.browser import Browser


def analyst_role(live: LiveLti) -> tuple[str, str]:
    """A role needing SQL at level 2 in the sandbox platform's tenant; (role id, competency)."""
    tenant = live.platform.registration.tenant_id
    with services(live.tool).database.session() as session:
        taxonomy = TaxonomyRepository(session)
        framework = taxonomy.add_framework(tenant, "Data", taxonomy.ensure_scale(
            FOUR_POINT_RUBRIC))
        sql = taxonomy.add_competency(framework, "DA.SQL", "SQL")
        role = RoleRepository(session).add(tenant, "Data Analyst", [Requirement(sql.id, 2, 1)],
                                           threshold=0.8)
    return role.id, sql.id


def test_readiness_scores_reach_the_gradebook(live_lti: LiveLti) -> None:
    role_id, sql = analyst_role(live_lti)
    browser = Browser()
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    returned = browser.submit(picker, extra={"widget": "readiness", "line_item": "1",
                                             "target_role": role_id})
    assert browser.submit(returned).status_code == 200
    svc = services(live_lti.tool)
    with svc.database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == "course-101"))
    assert run_sync(svc, course_id).status == "succeeded"
    with svc.database.session() as session:
        quiz = session.scalar(select(LmsItemRow.id).where(
            LmsItemRow.title == "SQL Fundamentals quiz"))
        CourseRepository(session).add_rule(EvidenceRule("", str(quiz), sql, 2, ScoreAtLeast(60)))
    run = run_sync(svc, course_id)
    assert run.status == "succeeded", run.error
    learners = live_lti.users("learner")
    assert run.counts["scores_posted"] == len(learners)
    posted = _readiness_column_scores(live_lti)
    expected = {}
    for sub in learners:
        with svc.database.session() as session:
            from lti_tool.store.repositories.people import PersonRepository

            person = PersonRepository(session).by_sub(live_lti.platform.registration.tenant_id,
                                                      sub)
            context = load_learner_context(session, person.tenant_id, person.id)
        report = readiness_report(learner_levels(context), role_id, datetime.now(UTC))
        expected[sub] = round(report.readiness.score * 100, 2)
    assert posted == expected
    assert any(score == 100 for score in posted.values())
    assert any(score < 100 for score in posted.values())


def _readiness_column_scores(live: LiveLti) -> dict[str, float]:
    state = platform_of(live.sandbox).state
    with state.lock:
        course = state.course("course-101")
        column = next(item for item in course.line_items.values()
                      if item.tag == "careerpath-readiness")
        return {user: result.score for user, result in column.results.items()}
