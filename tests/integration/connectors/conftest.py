"""A course launched once into the tool, with native activities in the sandbox LMS, and the
registration connected to the sandbox's Canvas REST or Moodle web-service API."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.lms.native import is_native
from lti_tool.sandbox import platform_of, seed_load
from lti_tool.sandbox.native_course import (
    CANVAS_ADMIN_TOKEN,
    MOODLE_WS_TOKEN,
    NativeLms,
    native_of,
    seed_native,
)
from lti_tool.store.models import CourseRow, EvidenceRow, LmsItemRow, PersonRow
from lti_tool.usecases.connectors import ConnectInput, connect_platform
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser

Fact = tuple[str, str, str, float]  # (sub, native item lms_id, kind, value)


@dataclass
class NativeCourseUnderTest:
    live: LiveLti
    context_id: str
    course_id: int

    @property
    def native(self) -> NativeLms:
        return native_of(self.live.sandbox)

    def connect(self, platform: str, **credentials: str) -> None:
        svc = services(self.live.tool)
        token = CANVAS_ADMIN_TOKEN if platform == "canvas" else MOODLE_WS_TOKEN
        connect_platform(svc.database, svc.settings.secret_key, ConnectInput(
            self.live.platform.registration.id, platform, self.live.sandbox_url,
            **(credentials or {"token": token})))

    def expected(self, platform: str) -> set[Fact]:
        """The evidence the platform's native records should give, computed from them."""
        found: set[Fact] = set()
        with self.native.lock:
            course = self.native.courses[self.context_id]
            for (activity_id, sub), record in course.records.items():
                activity = next(a for a in course.activities if a.id == activity_id)
                if platform == "moodle":
                    key = f"native:moodle:cm:{activity.cmid}"
                elif activity.points is None:
                    key = f"native:canvas:module_item:{activity.module_item_id}"
                else:
                    key = f"native:canvas:assignment:{activity.assignment_id}"
                if record.completed or record.score is not None:
                    found.add((sub, key, "lms_completion", 1.0))
                if record.score is not None and activity.points:
                    found.add((sub, key, "lms_score", round(record.score / activity.points, 6)))
        return found

    def stored(self) -> set[Fact]:
        with services(self.live.tool).database.session() as session:
            rows = session.execute(select(PersonRow.sub, LmsItemRow.lms_id, EvidenceRow.kind,
                                          EvidenceRow.value)
                                   .join(EvidenceRow, EvidenceRow.person_id == PersonRow.id)
                                   .join(LmsItemRow, LmsItemRow.id == EvidenceRow.lms_item_id)
                                   .where(LmsItemRow.course_id == self.course_id))
            return {(s, i, k, round(v, 6)) for s, i, k, v in rows if is_native(i)}

    def stats(self) -> dict[str, int]:
        return requests.get(f"{self.live.sandbox_url}/_sandbox/native/stats",
                            timeout=10).json()["requests"]


def launched_course(live: LiveLti, learners: int, context_id: str) -> NativeCourseUnderTest:
    """A load course with `learners` learners and the demo's native activities."""
    seed_load(live.sandbox, learners, 1, course_id=context_id)
    state = platform_of(live.sandbox).state
    with state.lock:
        subs = [m.user_id for m in state.course(context_id).members.values()]
    seed_native(native_of(live.sandbox), context_id, subs)
    page = launch(Browser(), live, f"{context_id}-link", subs[0], course=context_id)
    assert page.status_code == 200, page.text[:300]
    with services(live.tool).database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == context_id))
    return NativeCourseUnderTest(live, context_id, course_id)


@pytest.fixture
def native_course(live_lti: LiveLti) -> NativeCourseUnderTest:
    return launched_course(live_lti, learners=30, context_id="native-course")
