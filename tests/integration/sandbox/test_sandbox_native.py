"""Native course activities are one record with the gradebook: a native quiz's or
assignment's grades are its gradebook column, so a grade entered on the gradebook page is
what Canvas REST and Moodle web services return; completion stays in the native record;
AGS never shows a native column."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from test_sandbox_flavours import PATHS, as_flavour
from tool_side import bearer

from lti_tool.sandbox import DEMO_COURSE, platform_of
from lti_tool.sandbox.native_course import (
    CANVAS_ADMIN_TOKEN,
    DEMO_ACTIVITIES,
    MOODLE_WS_TOKEN,
    Activity,
    NativeCourse,
)

CANVAS = {"Authorization": f"Bearer {CANVAS_ADMIN_TOKEN}"}


def demo_native(app: Flask) -> NativeCourse:
    return platform_of(app).native.courses[DEMO_COURSE]


def kind(course: NativeCourse, name: str) -> Activity:
    return next(a for a in course.activities if a.kind == name)


def canvas_submission(client: FlaskClient, activity: Activity, canvas_user: int
                      ) -> dict[str, Any] | None:
    """The learner's submission as Canvas REST lists it (every page followed)."""
    page, found = 1, []
    while True:
        answer = client.get(f"/api/v1/courses/lti_context_id:{DEMO_COURSE}/students/"
                            f"submissions?student_ids[]=all&per_page=100&page={page}",
                            headers=CANVAS)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        found += answer.json
        if 'rel="next"' not in answer.headers["Link"]:
            break
        page += 1
    return next((s for s in found if s["assignment_id"] == activity.assignment_id
                 and s["user_id"] == canvas_user), None)


def moodle(client: FlaskClient, function: str, **params: str) -> Any:
    answer = client.post("/webservice/rest/server.php", data={
        "wstoken": MOODLE_WS_TOKEN, "wsfunction": function, "moodlewsrestformat": "json",
        "courseid": DEMO_COURSE, **params})
    assert answer.status_code == 200
    return answer.json


def moodle_grade(client: FlaskClient, activity: Activity, sub: str) -> dict[str, Any]:
    body = moodle(client, "gradereport_user_get_grade_items", userid=sub)
    return next(i for i in body["usergrades"][0]["gradeitems"] if i["cmid"] == activity.cmid)


def test_the_demo_course_has_one_set_of_native_activities(app: Flask) -> None:
    platform, course = platform_of(app), demo_native(app)
    assert [(a.name, a.kind, a.points) for a in course.activities] == list(DEMO_ACTIVITIES)
    columns = {i.id: i for i in platform.state.course(DEMO_COURSE).line_items.values()
               if i.native}
    graded = [a for a in course.activities if a.points is not None]
    assert sorted(columns) == sorted(str(a.line_item_id) for a in graded)
    for activity in graded:
        column = columns[str(activity.line_item_id)]
        assert (column.label, column.native, column.score_maximum, column.client_id) == (
            activity.name, activity.kind, activity.points, None)
        assert any(r.score is not None for r in column.results.values())
    page = kind(course, "page")
    assert page.line_item_id is None and any(
        r.completed for (aid, _sub), r in course.records.items() if aid == page.id)


def test_a_grade_entered_on_the_gradebook_page_is_what_both_apis_return(
        app: Flask, client: FlaskClient) -> None:
    platform, course = platform_of(app), demo_native(app)
    quiz = kind(course, "quiz")
    column = platform.gradebook.line_item(DEMO_COURSE, str(quiz.line_item_id))
    ungraded = next(sub for sub in platform.native.learners(course, quiz)
                    if column.results.get(sub) is None or column.results[sub].score is None)
    canvas_user = platform.native.canvas_user_id(ungraded)
    before = canvas_submission(client, quiz, canvas_user)
    assert before is None or before["workflow_state"] != "graded"
    assert moodle_grade(client, quiz, ungraded)["graderaw"] is None

    page = client.post(f"/courses/{DEMO_COURSE}/gradebook/{quiz.line_item_id}",
                       data={"user_id": ungraded, "score": "17.5", "graded_on": "2026-01-15"})
    assert page.status_code == 303
    assert "(17.5)" in client.get(f"/courses/{DEMO_COURSE}/gradebook").get_data(as_text=True)
    day = int(datetime(2026, 1, 15, tzinfo=UTC).timestamp())
    submission = canvas_submission(client, quiz, canvas_user)
    assert submission is not None
    assert (submission["score"], submission["workflow_state"], submission["graded_at"]) == (
        17.5, "graded", "2026-01-15T00:00:00Z")
    graded = moodle_grade(client, quiz, ungraded)
    assert (graded["graderaw"], graded["gradedategraded"], graded["grademax"]) == (
        17.5, day, 20.0)

    # a regrade replaces the grade in both APIs: one record, not a copy
    client.post(f"/courses/{DEMO_COURSE}/gradebook/{quiz.line_item_id}",
                data={"user_id": ungraded, "score": "9"})
    assert canvas_submission(client, quiz, canvas_user)["score"] == 9.0
    assert moodle_grade(client, quiz, ungraded)["graderaw"] == 9.0


def test_grading_never_touches_completion_which_stays_in_the_native_record(
        app: Flask, client: FlaskClient) -> None:
    platform, course = platform_of(app), demo_native(app)
    assignment, page = kind(course, "assignment"), kind(course, "page")
    # a learner who never started the assignment: graded anyway by the grader
    idle = next(sub for sub in platform.native.canvas_users
                if platform.native.work(course, assignment, sub) is None)
    client.post(f"/courses/{DEMO_COURSE}/gradebook/{assignment.line_item_id}",
                data={"user_id": idle, "score": "80"})
    work = platform.native.work(course, assignment, idle)
    assert work is not None and (work.score, work.completed, work.submitted_at) == (
        80.0, False, None)
    submission = canvas_submission(client, assignment, platform.native.canvas_user_id(idle))
    assert submission is not None and submission["workflow_state"] == "graded"
    assert submission["submitted_at"] is None

    # the page has no gradebook column; its completion is read from the record
    readers = {sub for (aid, sub), r in course.records.items() if aid == page.id and r.completed}
    assert readers
    for sub in platform.native.canvas_users:
        statuses = moodle(client, "core_completion_get_activities_completion_status",
                          userid=sub)["statuses"]
        state = next(s["state"] for s in statuses if s["cmid"] == page.cmid)
        assert state == (1 if sub in readers else 0)
    assert page.name not in client.get(f"/courses/{DEMO_COURSE}/gradebook").get_data(
        as_text=True)


@pytest.mark.parametrize("flavour", ["moodle", "canvas", "generic"])
def test_a_native_activity_added_by_an_admin_is_graded_in_the_gradebook_never_in_ags(
        app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey, flavour: str) -> None:
    as_flavour(app, flavour)
    added = client.post(f"/_sandbox/courses/{DEMO_COURSE}/lineitems", json={"line_items": [
        {"label": "Pivot tables quiz", "scoreMaximum": 15, "native": "quiz"}]})
    assert added.status_code == 201
    column_id = added.json["ids"][0]
    activity = next(a for a in demo_native(app).activities if a.name == "Pivot tables quiz")
    assert activity.line_item_id == column_id and activity.points == 15.0
    contents = moodle(client, "core_course_get_contents")[0]["modules"]
    assert any(m["id"] == activity.cmid and m["modname"] == "quiz" for m in contents)
    auth = bearer(client, tool_key)
    labels = [item["label"] for item in client.get(PATHS[flavour], headers=auth).json]
    assert "Pivot tables quiz" not in labels and len(labels) == 6
    learner = next(iter(platform_of(app).native.canvas_users))
    client.post(f"/courses/{DEMO_COURSE}/gradebook/{column_id}",
                data={"user_id": learner, "score": "12"})
    assert moodle_grade(client, activity, learner)["graderaw"] == 12.0
    refused = client.post(f"/_sandbox/courses/{DEMO_COURSE}/lineitems", json={"line_items": [
        {"label": "A page", "scoreMaximum": 5, "native": "page"}]})
    assert refused.status_code == 400
