"""Native items on the mapping page beside AGS items, with their source; a rule on a native
item turns connector evidence into a competency level like an AGS item's."""

from __future__ import annotations

import html

from flask import Flask
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.domain.rules import AllOf, Completed, ScoreAtLeast, condition_to_dict
from lti_tool.sandbox.native_course import MOODLE_WS_TOKEN, native_of
from lti_tool.store.learner_context import load_learner_context
from lti_tool.store.models import CourseRow, LmsItemRow, PersonRow
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.connectors import ConnectInput, connect_platform
from lti_tool.usecases.course_mapping import RuleInput, create_rule
from lti_tool.usecases.demo.seed import DEMO_SLUG, seed_demo
from lti_tool.usecases.readiness import learner_levels
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti, running_lti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser


def test_native_items_shown_with_source_and_mapped_like_ags(tool_app: Flask) -> None:
    with services(tool_app).database.session() as session:
        seed_demo(session)  # the demo organisation's frameworks, in the platform's tenant
    with running_lti(tool_app, DEMO_SLUG) as live:
        check_mapping_and_levels(live)


def check_mapping_and_levels(live_lti: LiveLti) -> None:
    svc = services(live_lti.tool)
    learner = live_lti.users("learner")[0]
    assert launch(Browser(), live_lti, "link-readiness", learner).status_code == 200
    connect_platform(svc.database, svc.settings.secret_key, ConnectInput(
        live_lti.platform.registration.id, "moodle", live_lti.sandbox_url,
        token=MOODLE_WS_TOKEN))
    with svc.database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(
            CourseRow.context_id == "course-101"))
    run = run_sync(svc, course_id)
    assert run.status == "succeeded", run.error

    instructor = live_lti.users("instructor")[0]
    page = launch(Browser(), live_lti, "link-mapping", instructor)
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert "Gradable items" in text and "Native course activities" in text
    assert "SQL fundamentals quiz (native)" in text and "SQL Fundamentals quiz" in text
    assert "Source: Moodle activity (web services)" in text
    assert "Source: LTI gradebook (AGS line item)" in text
    assert 'data-connector="moodle"' in text

    # a rule on the native quiz: its graded learners reach the level from connector evidence
    native = native_of(live_lti.sandbox)
    course = native.courses["course-101"]
    quiz = next(a for a in course.activities if a.kind == "quiz")
    scores = {sub: native.work(course, quiz, sub).score for sub in native.learners(course, quiz)}
    passed = {sub for sub, score in scores.items()
              if score is not None and score / quiz.points >= 0.75}
    with svc.database.session() as session:
        tenant_id = session.scalar(select(CourseRow.tenant_id).where(CourseRow.id == course_id))
        item_id = session.scalar(select(LmsItemRow.id).where(
            LmsItemRow.lms_id == f"native:moodle:cm:{quiz.cmid}"))
        sql = next(c.id for f in TaxonomyRepository(session).frameworks(tenant_id)
                   for c in f.competencies if c.code == "PD.ANL.SQL")
    create_rule(svc.database, tenant_id, course_id, RuleInput(
        item_id, int(sql), 2, condition_to_dict(AllOf((Completed(), ScoreAtLeast(75))))))
    reached = set()
    with svc.database.session() as session:
        for person_id, sub in session.execute(select(PersonRow.id, PersonRow.sub).where(
                PersonRow.tenant_id == tenant_id)):
            levels = learner_levels(load_learner_context(session, tenant_id, person_id))
            if levels.levels.get(str(sql), 0) >= 2:
                reached.add(sub)
    assert passed and reached == passed
