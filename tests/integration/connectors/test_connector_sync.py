"""Connector sync of native activities against the sandbox's Canvas REST and Moodle web
services over real HTTP on 127.0.0.1."""

from __future__ import annotations

import pytest
import requests

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.sandbox.model import User
from lti_tool.sandbox.native_course import CANVAS_ADMIN_TOKEN, MOODLE_WS_TOKEN
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.connectors.conftest import (
    NativeCourseUnderTest,
    launched_course,
)
from tests.support.retry_waits import record_retry_waits


@pytest.mark.parametrize("platform", ["moodle", "canvas"])
def test_native_grades_and_completions_become_evidence_once(
        platform: str, native_course: NativeCourseUnderTest) -> None:
    native_course.connect(platform)
    run = run_sync(services(native_course.live.tool), native_course.course_id)
    assert run.status == "succeeded", run.error
    expected = native_course.expected(platform)
    assert expected and native_course.stored() == expected
    assert run.counts["native_items"] == 3
    second = run_sync(services(native_course.live.tool), native_course.course_id)
    assert second.status == "succeeded", second.error
    assert second.counts.get("evidence_created", 0) == 0
    assert second.counts.get("evidence_updated", 0) == 0
    assert native_course.stored() == expected


@pytest.mark.parametrize("platform", ["moodle", "canvas"])
def test_completed_without_a_grade_gives_completion_and_no_score(
        platform: str, native_course: NativeCourseUnderTest) -> None:
    native = native_course.native
    course = native.courses[native_course.context_id]
    quiz = next(a for a in course.activities if a.kind == "quiz")
    learner = next(sub for sub in native.learners(course, quiz)
                   if native.work(course, quiz, sub).score is not None)
    native.grade(native_course.context_id, quiz, learner, None)  # completed, grade removed
    native_course.connect(platform)
    run = run_sync(services(native_course.live.tool), native_course.course_id)
    assert run.status == "succeeded", run.error
    key = (f"native:moodle:cm:{quiz.cmid}" if platform == "moodle"
           else f"native:canvas:assignment:{quiz.assignment_id}")
    facts = {f for f in native_course.stored() if f[0] == learner and f[1] == key}
    assert facts == {(learner, key, "lms_completion", 1.0)}


@pytest.mark.parametrize("platform", ["moodle", "canvas"])
def test_a_grade_entered_on_the_gradebook_page_is_read_by_the_sync(
        platform: str, native_course: NativeCourseUnderTest) -> None:
    native = native_course.native
    course = native.courses[native_course.context_id]
    quiz = next(a for a in course.activities if a.kind == "quiz")
    assignment = next(a for a in course.activities if a.kind == "assignment")
    new = next(sub for sub in native_course.live.users("learner", native_course.context_id)
               if native.work(course, quiz, sub) is None)
    regraded = next(sub for sub in native.learners(course, assignment)
                    if native.work(course, assignment, sub).score is not None)
    native_course.connect(platform)
    first = run_sync(services(native_course.live.tool), native_course.course_id)
    assert first.status == "succeeded", first.error
    keys = {"moodle": (f"native:moodle:cm:{quiz.cmid}", f"native:moodle:cm:{assignment.cmid}"),
            "canvas": (f"native:canvas:assignment:{quiz.assignment_id}",
                       f"native:canvas:assignment:{assignment.assignment_id}")}[platform]
    assert not {f for f in native_course.stored() if f[:2] == (new, keys[0])}

    native_course.grade_on_gradebook_page(quiz, new, 15)  # a quiz it never started: 15/20
    native_course.grade_on_gradebook_page(assignment, regraded, 42)  # 42/100
    second = run_sync(services(native_course.live.tool), native_course.course_id)
    assert second.status == "succeeded", second.error
    stored = native_course.stored()
    assert {f for f in stored if f[:2] == (new, keys[0])} == {
        (new, keys[0], "lms_completion", 1.0), (new, keys[0], "lms_score", 0.75)}
    assert (regraded, keys[1], "lms_score", 0.42) in stored
    assert stored == native_course.expected(platform)


def test_canvas_follows_link_paging_and_matches_users_by_lti_id(live_lti: LiveLti) -> None:
    course = launched_course(live_lti, learners=130, context_id="big-native")
    course.connect("canvas")
    run = run_sync(services(live_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    assert course.stored() == course.expected("canvas")
    stats = course.stats()
    # 2 graded assignments × 130 learners' submissions (those with work) at 100 a page
    assert stats["canvas.submissions"] >= 3
    assert stats["canvas.users"] == 130  # each learner resolved once by lti_1_3_id
    again = run_sync(services(live_lti.tool), course.course_id)
    assert again.status == "succeeded", again.error
    assert course.stats()["canvas.users"] == 130  # the REST ids were kept
    assert again.counts.get("evidence_created", 0) == 0


@pytest.mark.parametrize("platform, token", [("moodle", MOODLE_WS_TOKEN),
                                             ("canvas", CANVAS_ADMIN_TOKEN)])
def test_revoked_token_fails_clearly_and_keeps_evidence(
        platform: str, token: str, native_course: NativeCourseUnderTest) -> None:
    live = native_course.live
    native_course.connect(platform)
    first = run_sync(services(live.tool), native_course.course_id)
    assert first.status == "succeeded", first.error
    before = native_course.stored()
    requests.post(f"{live.sandbox_url}/_sandbox/native/revoke", json={"token": token},
                  timeout=10).raise_for_status()
    failed = run_sync(services(live.tool), native_course.course_id)
    assert failed.status == "failed"
    assert "token" in failed.error.lower() and "careerpath platform connect" in failed.error
    assert token not in failed.error
    assert native_course.stored() == before
    native_course.native.moodle_tokens.add(MOODLE_WS_TOKEN)
    native_course.native.canvas_tokens.add(CANVAS_ADMIN_TOKEN)
    resumed = run_sync(services(live.tool), native_course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert native_course.stored() == native_course.expected(platform)


def arm(live: LiveLti, path: str, skip: int) -> None:
    requests.post(f"{live.sandbox_url}/_sandbox/native/faults",
                  json={"path": path, "skip": skip, "count": 1}, timeout=10).raise_for_status()


def test_canvas_page_failure_resumes_at_that_page(live_lti: LiveLti) -> None:
    course = launched_course(live_lti, learners=130, context_id="resume-native")
    course.connect("canvas")
    arm(live_lti, "/api/v1/courses/lti_context_id:resume-native/students/submissions", skip=2)
    failed = run_sync(services(live_lti.tool), course.course_id)
    assert failed.status == "failed" and "malformed JSON" in failed.error
    partial = course.stored()
    assert partial and partial < course.expected("canvas")  # two pages kept
    pages_before = course.stats()["canvas.submissions"]
    resumed = run_sync(services(live_lti.tool), course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert course.stored() == course.expected("canvas")
    # the resumed run read the failed page again, never pages 1 and 2 (the failed call
    # never reached the view, so only the answered pages count)
    assert course.stats()["canvas.submissions"] - pages_before == 1
    assert course.stats()["canvas.users"] == 130


def test_moodle_learner_failure_resumes_at_that_learner(
        native_course: NativeCourseUnderTest) -> None:
    live = native_course.live
    native_course.connect("moodle")
    arm(live, "/webservice/rest/server.php", skip=1 + 2 * 10)  # contents, 10 learners
    failed = run_sync(services(live.tool), native_course.course_id)
    assert failed.status == "failed" and "malformed JSON" in failed.error
    assert native_course.stored() < native_course.expected("moodle")
    resumed = run_sync(services(live.tool), native_course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert native_course.stored() == native_course.expected("moodle")
    calls = native_course.stats()
    # 30 learners, each answered once (the failed call never reached the function): the
    # resumed run started at the learner that failed, not at the first
    assert calls["moodle.core_completion_get_activities_completion_status"] == 30
    assert calls["moodle.gradereport_user_get_grade_items"] == 30


@pytest.mark.parametrize("platform, spec", [
    ("canvas", {"kind": "429", "retry_after": 1, "count": 2, "path_prefix": "/api/v1/"}),
    ("canvas", {"kind": "403_throttle", "count": 1, "path_prefix": "/api/v1/"}),
    ("moodle", {"kind": "500", "count": 2, "path_prefix": "/webservice/"}),
], ids=["canvas-429", "canvas-403-rate-limit", "moodle-500"])
def test_transient_faults_on_the_native_apis_end_in_success(
        platform: str, spec: dict, native_course: NativeCourseUnderTest) -> None:
    live = native_course.live
    native_course.connect(platform)
    waits = record_retry_waits(live.tool)
    requests.post(f"{live.sandbox_url}/_sandbox/faults", json=spec,
                  timeout=10).raise_for_status()
    run = run_sync(services(live.tool), native_course.course_id)
    assert run.status == "succeeded", run.error
    assert native_course.stored() == native_course.expected(platform)
    assert platform_of(live.sandbox).faults == []  # every armed fault was met and retried
    assert len(waits) == spec["count"]


def test_moodle_skips_a_learner_it_refuses_and_reads_the_others(
        native_course: NativeCourseUnderTest) -> None:
    live = native_course.live
    state = platform_of(live.sandbox).state
    state.enrol_many(native_course.context_id, [User("not-in-moodle", "Ada", "Gone",
                                                     "ada@example.edu")], "learner")
    native_course.connect("moodle")
    run = run_sync(services(live.tool), native_course.course_id)
    assert run.status == "succeeded", run.error
    assert run.counts["native_learners_refused"] == 1
    assert native_course.stored() == native_course.expected("moodle")


def test_canvas_skips_a_student_canvas_no_longer_knows(
        native_course: NativeCourseUnderTest) -> None:
    live = native_course.live
    native_course.connect("canvas")
    first = run_sync(services(live.tool), native_course.course_id)
    assert first.status == "succeeded", first.error
    kept = native_course.stored()
    native = native_course.native
    with native.lock:
        gone = f"{native_course.context_id}-u00003"  # a learner of this course
        del native.canvas_users[gone]  # Canvas answers 404 for their old user id
    again = run_sync(services(live.tool), native_course.course_id)
    assert again.status == "succeeded", again.error
    assert again.counts["native_learners_refused"] == 1
    assert native_course.stored() == kept  # nothing lost
