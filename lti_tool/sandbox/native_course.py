"""The sandbox's native course activities: quizzes, assignments and pages, as an LMS keeps
them outside LTI. Canvas REST (canvas_api) and Moodle web services (moodle_ws) serve this
one record in each platform's own shapes.

An LMS has one gradebook: a graded activity's grades live in its column of the sandbox
gradebook (a line item marked `native`, which AGS never shows a tool), so a grade a grader
enters on the gradebook page is the grade both APIs return. Completion and submission,
which no gradebook holds, stay in the activity's `Record`s; a page has no column.
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, request

from .gradebook import Gradebook
from .model import LineItem
from .state import SandboxError

EXTENSION = "careerpath_native"
CANVAS_ADMIN_TOKEN = "sandbox-canvas-admin-token"  # noqa: S105 - a test LMS's known token
MOODLE_WS_TOKEN = "sandbox-moodle-ws-token"  # noqa: S105 - a test LMS's known token
CANVAS_KEY_ID = "10000000000001"
CANVAS_KEY_SECRET = "sandbox-canvas-developer-key-secret"  # noqa: S105 - a test LMS's key
ACCESS_LIFETIME = 3600
DEMO_ACTIVITIES = (("SQL fundamentals quiz (native)", "quiz", 20.0),
                   ("Dashboard assignment (native)", "assignment", 100.0),
                   ("Reading: designing experiments (native page)", "page", None))
KINDS = ("quiz", "assignment", "page")


@dataclass
class Activity:
    """One native activity; ids follow each platform's id spaces."""

    id: int
    name: str
    kind: str  # quiz, assignment or page
    points: float | None
    module_id: int
    line_item_id: str | None = None  # its grade column in the gradebook; None for a page

    @property
    def assignment_id(self) -> int:
        return 100 + self.id

    @property
    def quiz_id(self) -> int | None:
        return 200 + self.id if self.kind == "quiz" else None

    @property
    def module_item_id(self) -> int:
        return 300 + self.id

    @property
    def cmid(self) -> int:
        return 400 + self.id


@dataclass
class Record:
    """What one learner did on one activity outside the gradebook: completion, submission."""

    completed: bool = False
    completed_at: int | None = None  # epoch seconds
    submitted_at: int | None = None


@dataclass(frozen=True)
class Work:
    """One learner's record on an activity with its grade from the gradebook, as the APIs
    show it; `score` None means ungraded (submitted, or only completed)."""

    completed: bool
    completed_at: int | None
    submitted_at: int | None
    score: float | None
    graded_at: int | None


@dataclass
class NativeCourse:
    """A course's native activities and its learners' records."""

    context_id: str
    canvas_id: int
    activities: list[Activity] = field(default_factory=list)
    records: dict[tuple[int, str], Record] = field(default_factory=dict)  # (activity, sub)


@dataclass
class OAuthGrant:
    user_sub: str
    refresh_token: str


class NativeLms:
    """Native courses, Canvas user ids and every credential the two APIs accept; grades
    are kept in `gradebook`, under its state's one lock."""

    def __init__(self, gradebook: Gradebook) -> None:
        self.gradebook = gradebook
        self.lock = gradebook.state.lock  # one record, one lock
        self.courses: dict[str, NativeCourse] = {}
        self.canvas_users: dict[str, int] = {}  # LTI sub (Canvas lti_id) → Canvas user id
        self.canvas_tokens = {CANVAS_ADMIN_TOKEN}
        self.moodle_tokens = {MOODLE_WS_TOKEN}
        self.developer_keys = {CANVAS_KEY_ID: CANVAS_KEY_SECRET}
        self.codes: dict[str, OAuthGrant] = {}
        self.refresh_tokens: dict[str, OAuthGrant] = {}
        self.access_tokens: dict[str, tuple[str, float]] = {}  # token → (refresh, expiry)
        self.requests: dict[str, int] = {}
        self.faults: list[dict[str, Any]] = []  # {path, skip, count}: malformed answers
        self._ids = itertools.count(1)
        self._users = itertools.count(5001)

    def count(self, kind: str) -> None:
        with self.lock:
            self.requests[kind] = self.requests.get(kind, 0) + 1

    def take_fault(self, path: str) -> bool:
        """Whether this request gets a malformed answer: after `skip` matching requests,
        the next `count` (a page that fails half-way through a sync)."""
        with self.lock:
            for fault in self.faults:
                if path.startswith(fault["path"]):
                    if fault["skip"] > 0:
                        fault["skip"] -= 1
                        return False
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self.faults.remove(fault)
                    return True
        return False

    def add_course(self, context_id: str) -> NativeCourse:
        with self.lock:
            course = NativeCourse(context_id, 1000 + len(self.courses) + 1)
            self.courses[context_id] = course
            return course

    def add_activity(self, context_id: str, name: str, kind: str, points: float | None
                     ) -> Activity:
        """A native activity of the sandbox course `context_id`; one with `points` gets its
        grade column in the gradebook."""
        if kind not in KINDS or (points is None) != (kind == "page"):
            raise SandboxError(f"a native activity is one of {KINDS}; a quiz or an assignment"
                               " has points, a page none")
        with self.lock:
            column = None if points is None else self.gradebook.create_line_item(
                context_id, {"label": name, "scoreMaximum": points}, native=kind)
            course = self.courses.get(context_id) or self.add_course(context_id)
            number = next(self._ids)
            activity = Activity(number, name, kind, points, 700 + number,
                                column.id if column else None)
            course.activities.append(activity)
            return activity

    def column(self, context_id: str, activity: Activity) -> LineItem | None:
        """The activity's grade column in the gradebook (None for a page)."""
        if activity.line_item_id is None:
            return None
        return self.gradebook.line_item(context_id, activity.line_item_id)

    def work(self, course: NativeCourse, activity: Activity, sub: str) -> Work | None:
        """A learner's record on the activity with the gradebook's grade; None if neither."""
        with self.lock:
            record = course.records.get((activity.id, sub))
            column = self.column(course.context_id, activity)
            result = column.results.get(sub) if column else None
            if record is None and result is None:
                return None
            record = record or Record()
            graded = result is not None and result.score is not None
            return Work(record.completed, record.completed_at, record.submitted_at,
                        result.score if graded and result else None,
                        _epoch(result.timestamp) if graded and result else None)

    def learners(self, course: NativeCourse, activity: Activity) -> list[str]:
        """Everyone with a record or a gradebook result on the activity, sorted."""
        with self.lock:
            column = self.column(course.context_id, activity)
            subs = {sub for (aid, sub) in course.records if aid == activity.id}
            return sorted(subs | set(column.results if column else ()))

    def canvas_user_id(self, sub: str) -> int:
        with self.lock:
            if sub not in self.canvas_users:
                self.canvas_users[sub] = next(self._users)
            return self.canvas_users[sub]

    def sub_of_canvas_user(self, user_id: int) -> str | None:
        with self.lock:
            return next((s for s, i in self.canvas_users.items() if i == user_id), None)

    def record(self, context_id: str, activity: Activity, sub: str) -> Record:
        with self.lock:
            course = self.courses[context_id]
            self.canvas_user_id(sub)
            return course.records.setdefault((activity.id, sub), Record())

    def grade(self, context_id: str, activity: Activity, sub: str, score: float | None,
              *, completed: bool = True, when: int | None = None) -> Record:
        """A learner's work: submitted (and completed); in the gradebook column, graded
        when `score` is set, else an ungraded result."""
        when = when or int(time.time())
        record = self.record(context_id, activity, sub)
        with self.lock:
            record.completed, record.completed_at = completed, when if completed else None
            record.submitted_at = when
            column = self.column(context_id, activity)
            if column is not None:
                self.gradebook.set_result(column, sub, score, None, _iso(when))
        return record

    def course_by_ref(self, ref: str) -> NativeCourse | None:
        """A course by Canvas REST id: numeric, or `lti_context_id:` (lib/api.rb)."""
        with self.lock:
            if ref.startswith("lti_context_id:"):
                return self.courses.get(ref.split(":", 1)[1])
            return next((c for c in self.courses.values() if str(c.canvas_id) == ref), None)

    def issue_code(self, user_sub: str) -> str:
        code = secrets.token_urlsafe(16)
        with self.lock:
            self.codes[code] = OAuthGrant(user_sub, secrets.token_urlsafe(24))
        return code

    def issue_access(self, refresh_token: str) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.access_tokens[token] = (refresh_token, time.time() + ACCESS_LIFETIME)
        return token

    def canvas_token_valid(self, token: str) -> bool:
        with self.lock:
            if token in self.canvas_tokens:
                return True
            found = self.access_tokens.get(token)
            return (found is not None and found[1] > time.time()
                    and found[0] in self.refresh_tokens)

    def revoke(self, token: str) -> bool:
        """Revoke any token (admin, web-service, refresh or access); True if known."""
        with self.lock:
            known = any(token in pool for pool in (self.canvas_tokens, self.moodle_tokens,
                                                    self.refresh_tokens, self.access_tokens))
            self.canvas_tokens.discard(token)
            self.moodle_tokens.discard(token)
            self.refresh_tokens.pop(token, None)
            self.access_tokens.pop(token, None)
            return known

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens = {t: (r, 0.0) for t, (r, _e) in self.access_tokens.items()}


def _iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def _epoch(stamp: str | None) -> int | None:
    """A gradebook timestamp (ISO 8601, a grader's date may lack a zone: UTC) in seconds."""
    if not stamp:
        return None
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp())


def native_of(app: Flask) -> NativeLms:
    return app.extensions[EXTENSION]


def current_native() -> NativeLms:
    return native_of(current_app)


def app_native() -> NativeLms | None:
    return current_app.extensions.get(EXTENSION)


def seed_native(native: NativeLms, context_id: str, learner_subs: list[str]) -> None:
    """The demo's native quiz, assignment and page, with deterministic work: most graded,
    some submitted but not graded yet, some completed the page only."""
    activities = [native.add_activity(context_id, name, kind, points)
                  for name, kind, points in DEMO_ACTIVITIES]
    base = int(time.time()) - 7 * 86400
    for position, sub in enumerate(learner_subs):
        native.canvas_user_id(sub)  # every enrolled user has a Canvas id
        mark = (position * 37 + 11) % 100
        for index, activity in enumerate(activities):
            when = base + 3600 * (position + index)
            if activity.points is None:
                if mark % 3 != 2:
                    native.grade(context_id, activity, sub, None, when=when)
                continue
            if mark < 12:
                continue  # not started
            if mark < 24:
                native.grade(context_id, activity, sub, None, when=when)  # submitted, ungraded
                continue
            share = (55 + (mark * 7 + index * 13) % 46) / 100
            native.grade(context_id, activity, sub, round(activity.points * share, 1),
                         when=when)


def init_app(app: Flask, native: NativeLms) -> None:
    """Attach the platform's native LMS and its two APIs (Canvas REST, Moodle web services)."""
    from . import canvas_api, moodle_ws

    app.extensions[EXTENSION] = native
    app.register_blueprint(canvas_api.bp)
    app.register_blueprint(moodle_ws.bp)
    app.before_request(_native_fault)


def _native_fault() -> Response | None:
    """A malformed answer when an armed native fault matches (POST /_sandbox/native/faults)."""
    native = app_native()
    if native is None or request.path.startswith("/_sandbox/") or not native.take_fault(
            request.path):
        return None
    return Response('[{"id": 1, "trunc', 200, mimetype="application/json")

