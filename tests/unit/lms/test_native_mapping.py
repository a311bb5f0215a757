"""Canvas REST and Moodle web-service bodies → native items and outcomes."""

from __future__ import annotations

import pytest

from lti_tool.lms.canvas_rest import (
    assignment_item,
    course_ref,
    module_item,
    module_outcomes,
    submission_outcome,
)
from lti_tool.lms.errors import LmsAuthError, LmsNotFound, LmsRequestRejected
from lti_tool.lms.moodle_ws import (
    MoodleLearnerRefused,
    activity_item,
    completion_outcomes,
    grade_outcomes,
    moodle_error,
)
from lti_tool.lms.native import NativeItem, NativeOutcome, is_native, source_label


def test_canvas_assignment_and_quiz_items() -> None:
    quiz = assignment_item({"id": 7, "name": "Quiz 1", "points_possible": 20,
                            "quiz_id": 3, "is_quiz_assignment": True})
    assert quiz == NativeItem("canvas:assignment:7", "Quiz 1", 20.0, "quiz")
    ungraded = assignment_item({"id": 8, "name": "Survey", "points_possible": 0})
    assert ungraded.score_maximum is None and ungraded.activity == "assignment"
    assert quiz.lms_id == "native:canvas:assignment:7" and is_native(quiz.lms_id)


def test_canvas_course_ref_uses_the_lti_context_id_mapping() -> None:
    assert course_ref("a1b2/c3") == "lti_context_id:a1b2%2Fc3"


@pytest.mark.parametrize("body, expected", [
    ({"workflow_state": "graded", "score": 15.5, "graded_at": "2026-01-02T03:04:05Z",
      "submitted_at": "2026-01-01T00:00:00Z"},
     NativeOutcome("canvas:assignment:7", "42", True, 15.5, None, "2026-01-02T03:04:05Z")),
    ({"workflow_state": "submitted", "score": None, "submitted_at": "2026-01-01T00:00:00Z"},
     NativeOutcome("canvas:assignment:7", "42", True, None, None, "2026-01-01T00:00:00Z")),
    ({"workflow_state": "pending_review", "score": None, "submitted_at": "2026-01-01T00:00:00Z"},
     NativeOutcome("canvas:assignment:7", "42", True, None, None, "2026-01-01T00:00:00Z")),
    ({"workflow_state": "unsubmitted", "score": None, "submitted_at": None}, None),
    ({"workflow_state": "graded", "score": 0, "excused": True}, None),
    ({"workflow_state": "graded", "score": None, "submitted_at": None}, None),
], ids=["graded", "submitted-ungraded", "pending-review", "unsubmitted", "excused",
        "graded-without-score-or-submission"])
def test_canvas_submission_outcomes(body: dict, expected: NativeOutcome | None) -> None:
    assert submission_outcome({"assignment_id": 7, "user_id": 42, **body}) == expected


def test_canvas_graded_zero_is_a_score() -> None:
    found = submission_outcome({"assignment_id": 7, "user_id": 42, "workflow_state": "graded",
                                "score": 0, "graded_at": None})
    assert found is not None and found.score == 0.0


def test_canvas_module_items_and_completion() -> None:
    modules = [{"id": 1, "completed_at": "2026-02-01T00:00:00Z", "items": [
        {"id": 11, "type": "Assignment", "content_id": 7,
         "completion_requirement": {"type": "must_submit", "completed": True}},
        {"id": 12, "type": "Quiz", "content_id": 3,
         "completion_requirement": {"type": "min_score", "min_score": 5, "completed": True}},
        {"id": 13, "type": "Page", "title": "Read me",
         "completion_requirement": {"type": "must_view", "completed": True}},
        {"id": 14, "type": "Page", "completion_requirement": {"type": "must_view",
                                                              "completed": False}},
        {"id": 15, "type": "SubHeader"},
    ]}]
    assert module_outcomes(modules, "42") == [
        NativeOutcome("canvas:assignment:7", "42", True, None, None, "2026-02-01T00:00:00Z"),
        NativeOutcome("canvas:module_item:13", "42", True, None, None, "2026-02-01T00:00:00Z"),
    ]
    items = [module_item(i) for i in modules[0]["items"]]
    assert [i.key for i in items if i] == ["canvas:module_item:13", "canvas:module_item:14"]


def test_moodle_errors_arrive_with_http_200_and_map_to_ours() -> None:
    refused = moodle_error({"exception": "moodle_exception", "errorcode": "invalidtoken",
                            "message": "Invalid token - token not found"}, "u")
    assert isinstance(refused, LmsAuthError)
    assert "invalidtoken" in refused.message and "careerpath platform connect" in refused.message
    missing = moodle_error({"exception": "dml_missing_record_exception",
                            "errorcode": "invalidrecord", "message": "Can't find"}, "u")
    assert isinstance(missing, LmsNotFound)
    other = moodle_error({"exception": "invalid_parameter_exception",
                          "errorcode": "invalidparameter", "message": "bad"}, "u")
    assert type(other) is LmsRequestRejected
    learner = moodle_error({"exception": "moodle_exception", "errorcode": "accessdenied",
                            "message": "Access denied"}, "u", about_learner=True)
    assert isinstance(learner, MoodleLearnerRefused)
    gone = moodle_error({"exception": "dml_missing_record_exception",
                         "errorcode": "invalidrecord", "message": "user"}, "u", True)
    assert isinstance(gone, MoodleLearnerRefused)
    token = moodle_error({"exception": "moodle_exception", "errorcode": "invalidtoken",
                          "message": "x"}, "u", about_learner=True)
    assert isinstance(token, LmsAuthError)  # a bad token is never one learner's problem
    assert moodle_error({"statuses": []}, "u") is None
    assert moodle_error([{"id": 1}], "u") is None


def test_moodle_completion_states() -> None:
    statuses = [{"cmid": 1, "state": 0, "timecompleted": 0},
                {"cmid": 2, "state": 1, "timecompleted": 1767225600},
                {"cmid": 3, "state": 2, "timecompleted": 1767225600},
                {"cmid": 4, "state": 3, "timecompleted": 1767225600}]
    found = completion_outcomes(statuses, "9")
    assert [o.item_key for o in found] == ["moodle:cm:2", "moodle:cm:3"]  # 3 = complete-fail
    assert found[0].observed_at == "2026-01-01T00:00:00+00:00" and found[0].score is None


def test_moodle_grade_items_only_graded_activities() -> None:
    usergrades = [{"userid": 9, "gradeitems": [
        {"itemtype": "mod", "cmid": 5, "graderaw": 12.0, "grademax": 20,
         "gradedategraded": 1767225600},
        {"itemtype": "mod", "cmid": 6, "graderaw": None, "grademax": 100},
        {"itemtype": "course", "cmid": None, "graderaw": 80.0, "grademax": 100},
        {"itemtype": "manual", "cmid": None, "graderaw": 3.0, "grademax": 5},
    ]}]
    assert grade_outcomes(usergrades) == [NativeOutcome(
        "moodle:cm:5", "9", True, 12.0, 20.0, "2026-01-01T00:00:00+00:00")]
    assert activity_item({"id": 5, "name": "Quiz", "modname": "quiz"}) == NativeItem(
        "moodle:cm:5", "Quiz", None, "quiz")


def test_source_labels() -> None:
    assert source_label("https://lms/lineitems/1") == "LTI gradebook (AGS line item)"
    assert source_label("native:moodle:cm:5") == "Moodle activity (web services)"
    assert source_label("native:canvas:module_item:13") == "Canvas module item (REST API)"
