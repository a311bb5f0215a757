"""Moodle web services (REST protocol) over the native gradebook, in Moodle's shapes
(moodle/moodle):

- `webservice/rest/server.php`: `wstoken`, `wsfunction`, `moodlewsrestformat=json` from the
  query or the form; every error is HTTP 200 with `{exception, errorcode, message}`
  (`webservice/lib.php`: `invalidtoken` "Invalid token - token not found"; an unknown
  function `invalidrecord` from `external_functions`);
- `core_course_get_contents` (`course/externallib.php`): sections with `modules[]`;
- `core_completion_get_activities_completion_status` (`completion/classes/external.php`):
  `statuses[]` with `state` 0/1/2/3 and `timecompleted`, and `warnings`;
- `gradereport_user_get_grade_items` (`grade/report/user/classes/external/user.php`):
  `usergrades[].gradeitems[]` with `itemtype`, `itemmodule`, `cmid`, `graderaw`,
  `grademax`, `gradedategraded`.
A real Moodle's course and user ids are integers (the LTI `context_id` and `sub`); the
sandbox takes its own ids in their place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, json, request
from flask.typing import ResponseReturnValue

from .native_course import NativeCourse, current_native

bp = Blueprint("sandbox_moodle_ws", __name__)
MODNAMES = {"quiz": "quiz", "assignment": "assign", "page": "page"}


class MoodleException(Exception):
    def __init__(self, exception: str, errorcode: str, message: str) -> None:
        super().__init__(message)
        self.body = {"exception": exception, "errorcode": errorcode, "message": message}


def _answer(body: Any) -> Response:
    return Response(json.dumps(body), status=200, mimetype="application/json")


def _course(params: dict[str, str]) -> NativeCourse:
    found = current_native().courses.get(params.get("courseid", ""))
    if found is None:
        raise MoodleException("dml_missing_record_exception", "invalidrecord",
                              "Can't find data record in database table course.")
    return found


def get_contents(params: dict[str, str]) -> Any:
    course = _course(params)
    modules = [{"id": a.cmid, "url": f"/mod/{MODNAMES[a.kind]}/view.php?id={a.cmid}",
                "name": a.name, "instance": a.id, "visible": 1, "uservisible": True,
                "modname": MODNAMES[a.kind], "modplural": MODNAMES[a.kind] + "s",
                "indent": 0, "noviewlink": False, "completion": 1 if a.points is None else 2}
               for a in course.activities]
    return [{"id": 1, "name": "General", "visible": 1, "summary": "", "summaryformat": 1,
             "section": 0, "hiddenbynumsections": 0, "uservisible": True, "modules": modules}]


def _user(params: dict[str, str]) -> str:
    """The learner, as `core_user::get_user(..., MUST_EXIST)` finds them."""
    user = params.get("userid", "")
    if user not in current_native().canvas_users:  # the native LMS's user table
        raise MoodleException("dml_missing_record_exception", "invalidrecord",
                              "Can't find data record in database table user.")
    return user


def completion_status(params: dict[str, str]) -> Any:
    course, user = _course(params), _user(params)
    statuses = []
    for a in course.activities:
        record = course.records.get((a.id, user))
        done = bool(record and record.completed)
        statuses.append({"cmid": a.cmid, "modname": MODNAMES[a.kind], "instance": a.id,
                         "state": 1 if done else 0,
                         "timecompleted": record.completed_at if done and record else 0,
                         "tracking": 2 if a.points is not None else 1, "overrideby": None,
                         "valueused": False, "hascompletion": True,
                         "isautomatic": True, "istrackeduser": True, "uservisible": True,
                         "details": []})
    return {"statuses": statuses, "warnings": []}


def grade_items(params: dict[str, str]) -> Any:
    course, user = _course(params), _user(params)
    items = []
    for a in (a for a in course.activities if a.points is not None):
        record = course.records.get((a.id, user))
        graded = record is not None and record.score is not None
        items.append({"id": a.id + 900, "itemname": a.name, "itemtype": "mod",
                      "itemmodule": MODNAMES[a.kind], "iteminstance": a.id, "itemnumber": 0,
                      "idnumber": "", "categoryid": 1, "outcomeid": None, "scaleid": None,
                      "locked": False, "cmid": a.cmid,
                      "graderaw": record.score if graded and record else None,
                      "gradedatesubmitted": record.submitted_at if record else None,
                      "gradedategraded": record.graded_at if graded and record else None,
                      "gradeformatted": str(record.score) if graded and record else "-",
                      "grademin": 0, "grademax": a.points})
    items.append({"id": 999, "itemname": None, "itemtype": "course", "cmid": None,
                  "graderaw": None, "grademin": 0, "grademax": 100})
    return {"usergrades": [{"courseid": course.canvas_id, "userid": user,
                            "userfullname": user, "maxdepth": 2, "gradeitems": items}],
            "warnings": []}


FUNCTIONS: dict[str, Callable[[dict[str, str]], Any]] = {
    "core_course_get_contents": get_contents,
    "core_completion_get_activities_completion_status": completion_status,
    "gradereport_user_get_grade_items": grade_items,
}


@bp.route("/webservice/rest/server.php", methods=["GET", "POST"])
def server() -> ResponseReturnValue:
    params = {**request.args.to_dict(), **request.form.to_dict()}
    native = current_native()
    function = params.get("wsfunction", "")
    native.count(f"moodle.{function}")
    try:
        if params.get("wstoken") not in native.moodle_tokens:
            raise MoodleException("moodle_exception", "invalidtoken",
                                  "Invalid token - token not found")
        if function not in FUNCTIONS:
            raise MoodleException("dml_missing_record_exception", "invalidrecord",
                                  "Can't find data record in database table "
                                  "external_functions.")
        with native.lock:
            return _answer(FUNCTIONS[function](params))
    except MoodleException as exc:
        return _answer(exc.body)
