"""AGS as real courses use it: the instructor places a CareerPath assessed activity through
deep linking (its own line item), a grader grades it in the LMS gradebook, the sync reads
it back; the course's native quiz and assignment never reach the tool through AGS."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.sandbox.native_course import DEMO_ACTIVITIES
from lti_tool.store.models import CourseRow, EvidenceRow, LmsItemRow
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_deep_linking_and_keys import deep_linking_picker
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_placed_applied_project_graded_in_the_lms_is_read_back(
        live_lti: LiveLti, browser: Browser, flavour: str) -> None:
    platform = platform_of(live_lti.sandbox)
    platform.default_registration.flavour = flavour
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    assert "Assessed activities, graded in the LMS gradebook" in picker.text
    returned = browser.submit(picker, extra={"activity": "applied_project",
                                             "title_applied_project": "Dashboard capstone"})
    done = browser.submit(returned)
    assert done.status_code == 200 and "graded (line item" in done.text, done.text[:400]
    with platform.state.lock:
        link = next(li for li in platform.state.course("course-101").links.values()
                    if li.title == "Dashboard capstone")
        item = platform.state.course("course-101").line_items[link.line_item_id]
        assert (item.client_id, item.tag, item.score_maximum) == (
            platform.settings.client_id, "careerpath-applied-project", 100.0)
        assert item.resource_id == "careerpath-applied_project-dashboard-capstone"
    learners = live_lti.users("learner")
    graded = browser.session.post(
        f"{live_lti.sandbox_url}/courses/course-101/gradebook/{item.id}",
        data={"user_id": learners[0], "score": "85", "graded_on": "2026-01-15"}, timeout=10)
    assert graded.status_code == 200 and "Grade saved" in graded.text
    page = launch(Browser(), live_lti, link.id, learners[1])
    assert page.status_code == 200, page.text[:300]
    svc = services(live_lti.tool)
    with svc.database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == "course-101"))
    run = run_sync(svc, course_id)
    assert run.status == "succeeded", run.error
    with svc.database.read_session() as session:
        labels = set(session.scalars(select(LmsItemRow.title)))
        item_pk = session.scalar(select(LmsItemRow.id).where(LmsItemRow.title ==
                                                             "Dashboard capstone"))
        on_item = session.scalar(select(func.count()).select_from(EvidenceRow)
                                 .where(EvidenceRow.lms_item_id == item_pk))
    assert "Dashboard capstone" in labels and on_item == 2  # completion and score
    assert not labels & {name for name, _kind, _points in DEMO_ACTIVITIES}  # never in AGS


def hidden(page: str, name: str) -> str:
    return page.split(f'name="{name}" value="')[1].split('"')[0]


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_mapping_page_creates_a_gradebook_column_and_says_what_it_sees(
        live_lti: LiveLti, flavour: str) -> None:
    platform = platform_of(live_lti.sandbox)
    platform.default_registration.flavour = flavour
    browser = Browser()
    instructor = live_lti.users("instructor")[0]
    page = launch(browser, live_lti, "link-mapping", instructor)
    assert page.status_code == 200, page.text[:300]
    assert "What CareerPath can see of this course" in page.text
    assert "needs a connector" in page.text
    form = {"launch": hidden(page.text, "launch"), "csrf": hidden(page.text, "csrf"),
            "activity": "checkpoint", "label": "Week 3 checkpoint"}
    created = browser.session.post(f"{live_lti.tool_url}/widgets/mapping/columns", data=form,
                                   timeout=10)
    assert created.status_code == 200 and "gradebook column was created" in created.text
    assert "Week 3 checkpoint" in created.text  # listed at once, before any sync
    with platform.state.lock:
        item = next(i for i in platform.state.course("course-101").line_items.values()
                    if i.label == "Week 3 checkpoint")
        assert (item.client_id, item.tag, item.resource_id, item.score_maximum) == (
            platform.settings.client_id, "careerpath-checkpoint",
            "careerpath-checkpoint-week-3-checkpoint", 10.0)
    refused = browser.session.post(f"{live_lti.tool_url}/widgets/mapping/columns",
                                   data={**form, "activity": "essay"}, timeout=10)
    assert refused.status_code == 422 and "The column was not created" in refused.text


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_demo_course_still_feeds_evidence_from_the_tools_own_line_items(
        live_lti: LiveLti, flavour: str) -> None:
    """The demo course's six line items are the demo tool's own; its native quiz and
    assignment stay in the LMS gradebook only."""
    platform = platform_of(live_lti.sandbox)
    platform.default_registration.flavour = flavour
    page = launch(Browser(), live_lti, "link-readiness", live_lti.users("learner")[0])
    assert page.status_code == 200, page.text[:300]
    svc = services(live_lti.tool)
    with svc.database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == "course-101"))
    assert run_sync(svc, course_id).status == "succeeded"
    with platform.state.lock:
        items = list(platform.state.course("course-101").line_items.values())
        own = sum(1 for i in items if i.client_id == platform.settings.client_id
                  for r in i.results.values() if r.score)
        native = [i for i in items if i.native]
    with svc.database.read_session() as session:
        stored = session.scalar(select(func.count()).select_from(EvidenceRow))
    assert len(native) == 2 and own > 0 and stored == 2 * own
