"""The demo course's native quiz, assignment and page, as `careerpath demo` sets them up:
AGS never lists them, the connector reads them, the demo mapping links all three to
competencies, and a grade a grader enters on the sandbox gradebook page reaches a
learner's levels at the next sync (Moodle web services and Canvas REST)."""

from __future__ import annotations

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.sandbox import DEMO_COURSE, platform_of
from lti_tool.sandbox.native_course import (
    CANVAS_ADMIN_TOKEN,
    DEMO_ACTIVITIES,
    MOODLE_WS_TOKEN,
)
from lti_tool.store.learner_context import load_learner_context
from lti_tool.store.models import CourseRow, LmsItemRow, PersonRow
from lti_tool.store.repositories import CourseRepository
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.connectors import ConnectInput, connect_platform
from lti_tool.usecases.demo.course import DEMO_RULES, map_demo_course
from lti_tool.usecases.demo.seed import DEMO_SLUG, seed_demo
from lti_tool.usecases.readiness import learner_levels
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti, running_lti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser

TOKENS = {"moodle": MOODLE_WS_TOKEN, "canvas": CANVAS_ADMIN_TOKEN}


def levels(live: LiveLti, tenant_id: int, code: str) -> dict[str, int]:
    """Each person's level (by LTI sub) in the competency `code`."""
    with services(live.tool).database.session() as session:
        competency = next(c.id for f in TaxonomyRepository(session).frameworks(tenant_id)
                          for c in f.competencies if c.code == code)
        return {sub: learner_levels(load_learner_context(session, tenant_id, person_id))
                .levels.get(str(competency), 0)
                for person_id, sub in session.execute(select(PersonRow.id, PersonRow.sub)
                                                      .where(PersonRow.tenant_id == tenant_id))}


@pytest.mark.parametrize("platform", ["moodle", "canvas"])
def test_demo_native_activities_graded_on_the_gradebook_page_feed_readiness(
        tool_app: Flask, platform: str) -> None:
    with services(tool_app).database.session() as session:
        seed_demo(session)
    with running_lti(tool_app, DEMO_SLUG) as live:
        sandbox = platform_of(live.sandbox)
        sandbox.default_registration.flavour = platform
        assert launch(Browser(), live, "link-readiness", live.users("learner")[0]
                      ).status_code == 200
        svc = services(live.tool)
        connect_platform(svc.database, svc.settings.secret_key, ConnectInput(
            live.platform.registration.id, platform, live.sandbox_url,
            token=TOKENS[platform]))
        with svc.database.session() as session:
            course_id, tenant_id = session.execute(select(CourseRow.id, CourseRow.tenant_id)
                                                   .where(CourseRow.context_id == DEMO_COURSE)
                                                   ).one()
        run = run_sync(svc, course_id)
        assert run.status == "succeeded", run.error
        assert run.counts["native_items"] == 3
        assert map_demo_course(svc.database, tenant_id, course_id) == len(DEMO_RULES)

        # the mapping links each native activity, read only through the connector
        native_names = {name for name, _kind, _points in DEMO_ACTIVITIES}
        with svc.database.session() as session:
            items = {i.id: i for i in CourseRepository(session).lms_items(course_id)}
            mapped = {items[int(r.lms_item_id)].title
                      for r in CourseRepository(session).rules_for_course(course_id)}
            sources = dict(session.execute(select(LmsItemRow.title, LmsItemRow.lms_id)
                                           .where(LmsItemRow.course_id == course_id)).all())
        assert native_names <= mapped
        assert all(sources[name].startswith(f"native:{platform}:") for name in native_names)

        # the page: completion only, kept in the native record, gives its level
        native = sandbox.native
        course = native.courses[DEMO_COURSE]
        page = next(a for a in course.activities if a.kind == "page")
        readers = {sub for (aid, sub), r in course.records.items()
                   if aid == page.id and r.completed}
        experiment = levels(live, tenant_id, "PD.ANL.EXP")
        learners = set(live.users("learner"))
        assert readers and {s for s in learners if experiment.get(s, 0) >= 1} == readers

        # a grader enters a full mark on the native quiz for a learner below level 2
        sql = levels(live, tenant_id, "PD.ANL.SQL")
        quiz = next(a for a in course.activities if a.kind == "quiz")
        low = next(s for s in sorted(learners) if sql.get(s, 0) < 2)
        graded = requests.post(f"{live.sandbox_url}/courses/{DEMO_COURSE}/gradebook/"
                               f"{quiz.line_item_id}", data={"user_id": low, "score": "20"},
                               timeout=10)
        assert graded.status_code == 200 and "Grade saved" in graded.text
        again = run_sync(svc, course_id)
        assert again.status == "succeeded", again.error
        assert again.counts.get("evidence_created", 0) + again.counts.get(
            "evidence_updated", 0) >= 1
        assert levels(live, tenant_id, "PD.ANL.SQL")[low] >= 2

