"""Moodle web services (REST protocol, JSON): course contents, completion, grade items.

Shapes as Moodle writes them (moodle/moodle):
- `webservice/rest/server.php` with `webservice/rest/locallib.php`: `wstoken`, `wsfunction`,
  `moodlewsrestformat=json`; errors answered with HTTP 200 and
  `{exception, errorcode, message}` (`invalidtoken`, `accessexception`, ...);
- `course/externallib.php` `core_course_get_contents`: sections with `modules[]`
  (`id` = course-module id, `name`, `modname`, `instance`, `completion` 0/1/2);
- `completion/classes/external.php` `get_activities_completion_status(courseid, userid)`:
  `statuses[]` (`cmid`, `state` 0 incomplete / 1 complete / 2 pass / 3 fail,
  `timecompleted`, `tracking`);
- `grade/report/user/classes/external/user.php` `get_grade_items(courseid, userid)`:
  `usergrades[].gradeitems[]` (`itemtype`, `cmid`, `graderaw`, `grademax`,
  `gradedategraded`).
The LTI 1.3 `sub` Moodle sends is the Moodle user id (`mod/lti/locallib.php`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from .errors import LmsAuthError, LmsBadResponse, LmsNotFound, LmsRequestRejected, LmsServiceError
from .http import HttpClient, decode_json
from .native import NativeItem, NativeOutcome

SERVER_PATH = "/webservice/rest/server.php"
COMPLETE_STATES = {1, 2}  # COMPLETION_COMPLETE, COMPLETION_COMPLETE_PASS
AUTH_CODES = {"invalidtoken", "accessexception", "webservicesnotenabled", "nopermissions",
              "requireloginerror", "forbiddenwsuser", "servicerequireslogin",
              "servicenotavailable"}
NOT_FOUND_CODES = {"invalidrecord", "invalidcourseid", "invaliduser"}
# refusals about one learner (`completion/classes/external.php`: a learner in a group the
# web-service user cannot see is `accessdenied`; a deleted user an `invalidrecord`)
LEARNER_CODES = {"accessdenied", "invalidrecord", "invaliduser"}
REQUIRED_FUNCTIONS = ("core_course_get_contents",
                      "core_completion_get_activities_completion_status",
                      "gradereport_user_get_grade_items")


class MoodleLearnerRefused(LmsRequestRejected):
    """Moodle refused a call about one learner (not visible, gone): skip that learner."""

    code = "lms_learner_refused"


def moodle_error(body: Any, url: str, about_learner: bool = False) -> LmsServiceError | None:
    """Our error for Moodle's HTTP 200 `{exception, errorcode, message}`, else None."""
    if not isinstance(body, dict) or "exception" not in body:
        return None
    code = str(body.get("errorcode") or "")
    message = str(body.get("message") or "")[:200]
    kind: type[LmsServiceError] = LmsRequestRejected
    if about_learner and code in LEARNER_CODES:
        kind, text = MoodleLearnerRefused, f"Moodle refused this learner ({code}: {message})"
    elif code in AUTH_CODES:
        kind = LmsAuthError
        text = (f"Moodle refused the web-service token ({code}: {message}): an admin must "
                "issue a new token for the web-service user (with the needed capabilities) "
                "and run `careerpath platform connect` again")
    elif code in NOT_FOUND_CODES:
        kind, text = LmsNotFound, f"Moodle has no such record ({code}: {message})"
    else:
        text = f"Moodle refused the web-service call ({code}: {message})"
    return kind(text, status=200, url=url)


def activity_item(module: Mapping[str, Any]) -> NativeItem:
    return NativeItem(f"moodle:cm:{module['id']}", str(module.get("name") or ""), None,
                      str(module.get("modname") or ""))


def completion_outcomes(statuses: list[Mapping[str, Any]], user_id: str
                        ) -> list[NativeOutcome]:
    """Completed activities of one learner (complete or complete-pass)."""
    return [NativeOutcome(f"moodle:cm:{s['cmid']}", user_id, True, None, None,
                          _iso(s.get("timecompleted")))
            for s in statuses if s.get("state") in COMPLETE_STATES]


def grade_outcomes(usergrades: list[Mapping[str, Any]]) -> list[NativeOutcome]:
    """Graded activity grade items (`itemtype` mod with a raw grade), per user."""
    found = []
    for user in usergrades:
        for item in user.get("gradeitems") or []:
            raw, top = item.get("graderaw"), item.get("grademax")
            if item.get("itemtype") != "mod" or not item.get("cmid") or raw is None:
                continue
            found.append(NativeOutcome(f"moodle:cm:{item['cmid']}", str(user["userid"]), True,
                                       float(raw), float(top) if top else None,
                                       _iso(item.get("gradedategraded"))))
    return found


def _iso(epoch: Any) -> str | None:
    return datetime.fromtimestamp(int(epoch), UTC).isoformat() if epoch else None


class MoodleWebServices:
    """The Moodle web-service functions a connector calls, with one token."""

    def __init__(self, http: HttpClient, base_url: str, token: str) -> None:
        self.http = http
        self.url = base_url.rstrip("/") + SERVER_PATH
        self.token = token

    def call(self, function: str, about_learner: bool = False, **params: Any) -> Any:
        """`server.php?wsfunction=…&moodlewsrestformat=json`, the token and arguments in the
        POST form (never in a URL that gets logged)."""
        form = {"wstoken": self.token, **{k: str(v) for k, v in params.items()}}
        response = self.http.request(
            "POST", self.url, data=form, headers={"Accept": "application/json"},
            params={"wsfunction": function, "moodlewsrestformat": "json"})
        body = decode_json(response)
        error = moodle_error(body, self.url, about_learner)
        if error is not None:
            raise error
        return body

    def learner(self, function: str, **params: Any) -> dict[str, Any]:
        """A call about one learner (MoodleLearnerRefused when Moodle refuses that learner)."""
        body = self.call(function, about_learner=True, **params)
        if not isinstance(body, dict):
            raise LmsBadResponse(f"Moodle answered {function} with an unexpected shape",
                                 url=self.url)
        return body

    def activities(self, course_id: str) -> list[NativeItem]:
        """core_course_get_contents: the course's activities with completion tracking."""
        sections = self.call("core_course_get_contents", courseid=course_id)
        if not isinstance(sections, list):
            raise LmsBadResponse("Moodle answered core_course_get_contents without sections",
                                 url=self.url)
        return [activity_item(m) for s in sections for m in s.get("modules") or []
                if m.get("modname") != "label"]

    def completion(self, course_id: str, user_id: str) -> list[NativeOutcome]:
        """core_completion_get_activities_completion_status for one learner."""
        body = self.learner("core_completion_get_activities_completion_status",
                            courseid=course_id, userid=user_id)
        return completion_outcomes(list(body.get("statuses") or []), user_id)

    def grades(self, course_id: str, user_id: str) -> list[NativeOutcome]:
        """gradereport_user_get_grade_items for one learner."""
        body = self.learner("gradereport_user_get_grade_items", courseid=course_id,
                            userid=user_id)
        return grade_outcomes(list(body.get("usergrades") or []))
