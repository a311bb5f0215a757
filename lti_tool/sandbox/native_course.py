"""The sandbox's native gradebook: quizzes, assignments and pages with grades and completion,
as an LMS keeps them outside LTI. Canvas REST (canvas_api) and Moodle web services
(moodle_ws) serve this one record in each platform's own shapes.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, request

EXTENSION = "careerpath_native"
CANVAS_ADMIN_TOKEN = "sandbox-canvas-admin-token"  # noqa: S105 - a test LMS's known token
MOODLE_WS_TOKEN = "sandbox-moodle-ws-token"  # noqa: S105 - a test LMS's known token
CANVAS_KEY_ID = "10000000000001"
CANVAS_KEY_SECRET = "sandbox-canvas-developer-key-secret"  # noqa: S105 - a test LMS's key
ACCESS_LIFETIME = 3600
DEMO_ACTIVITIES = (("SQL fundamentals quiz (native)", "quiz", 20.0),
                   ("Dashboard assignment (native)", "assignment", 100.0),
                   ("Reading: data ethics (native page)", "page", None))


@dataclass
class Activity:
    """One native activity; ids follow each platform's id spaces."""

    id: int
    name: str
    kind: str  # quiz, assignment or page
    points: float | None
    module_id: int

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
    """What one learner did on one activity."""

    completed: bool = False
    completed_at: int | None = None  # epoch seconds
    submitted_at: int | None = None
    score: float | None = None
    graded_at: int | None = None


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
    """Native courses, Canvas user ids and every credential the two APIs accept."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
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
        with self.lock:
            course = self.courses.get(context_id) or self.add_course(context_id)
            number = next(self._ids)
            activity = Activity(number, name, kind, points, 700 + number)
            course.activities.append(activity)
            return activity

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
        """A learner's work: submitted (and completed), graded when `score` is set."""
        when = when or int(time.time())
        record = self.record(context_id, activity, sub)
        with self.lock:
            record.completed, record.completed_at = completed, when if completed else None
            record.submitted_at = when
            record.score, record.graded_at = score, when if score is not None else None
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


def init_app(app: Flask) -> None:
    """Attach an empty native LMS and its two APIs (Canvas REST, Moodle web services)."""
    from . import canvas_api, moodle_ws

    app.extensions[EXTENSION] = NativeLms()
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


def seed_demo_native(app: Flask) -> None:
    """The demo course's native activities, for its learners."""
    from .platform import platform_of
    from .seed import DEMO_COURSE

    state = platform_of(app).state
    with state.lock:
        learners = [m.user_id for m in state.course(DEMO_COURSE).members.values()
                    if m.kind == "learner"]
    seed_native(native_of(app), DEMO_COURSE, learners)
