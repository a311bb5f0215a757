"""The demo course shows a project accepted, one waiting for review and an observation."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.domain.people_evidence import SubmissionState
from lti_tool.usecases.demo.course import map_demo_course, prepare_demo_course
from lti_tool.usecases.demo.people_evidence import seed_demo_evidence
from lti_tool.usecases.demo.seed import DEMO_SLUG, seed_demo
from lti_tool.usecases.observations import course_observations
from lti_tool.usecases.projects import review_queue, submissions
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import running_lti


def test_demo_course_has_people_evidence_once(tool_app: Flask) -> None:
    svc = services(tool_app)
    with svc.database.session() as session:
        seed_demo(session)
    with running_lti(tool_app, DEMO_SLUG) as live:
        tenant = live.platform.registration.tenant_id
        course = prepare_demo_course(svc.database, tenant, live.platform.registration.id,
                                     live.sandbox_url)
        assert run_sync(svc, course, "test").status == "succeeded"
        map_demo_course(svc.database, tenant, course)
        now = datetime.now(UTC)
        made = seed_demo_evidence(svc.database, tenant, course, now)
        assert made.accepted and made.waiting and made.observation
        assert seed_demo_evidence(svc.database, tenant, course, now).accepted == ""
    queue = review_queue(svc.database, tenant, course)
    assert [q.submission.id for q in queue] == [made.waiting]
    seen = course_observations(svc.database, tenant, course)
    assert [o.id for o in seen] == [made.observation] and seen[0].anchor
    learner = int(seen[0].learner_id)
    accepted = submissions(svc.database, tenant, learner)
    assert [(s.state, s.level) for s in accepted] == [(SubmissionState.ACCEPTED, 3)]
