"""A course in the sandbox with many results, known to the tool through one real launch."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of, seed_load
from lti_tool.store.models import CourseRow, EvidenceRow, LmsItemRow, MembershipRow, PersonRow
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser


@dataclass
class LoadedCourse:
    live: LiveLti
    context_id: str
    course_id: int
    learners: int
    line_items: int

    def expected_evidence(self) -> int:
        """Completions for every graded result plus a score for each (all have a maximum)."""
        state = platform_of(self.live.sandbox).state
        with state.lock:
            course = state.course(self.context_id)
            graded = sum(1 for item in course.line_items.values()
                         for result in item.results.values() if result.score is not None)
        return 2 * graded

    def table_counts(self) -> dict[str, int]:
        with services(self.live.tool).database.session() as session:
            return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                    for model in (PersonRow, MembershipRow, LmsItemRow, EvidenceRow)}


def load_course(live: LiveLti, learners: int, line_items: int,
                context_id: str = "load-course", flavour: str | None = None) -> LoadedCourse:
    """Seed a load course and launch into it once; `flavour` sets how the sandbox answers
    the tool (its registration's flavour) before that launch."""
    if flavour is not None:
        platform_of(live.sandbox).default_registration.flavour = flavour
    seed_load(live.sandbox, learners, line_items, course_id=context_id)
    learner = f"{context_id}-u00000"
    page = launch(Browser(), live, f"{context_id}-link", learner, course=context_id)
    assert page.status_code == 200, page.text[:300]
    with services(live.tool).database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == context_id))
    return LoadedCourse(live, context_id, course_id, learners, line_items)


@pytest.fixture
def small_course(live_lti: LiveLti) -> LoadedCourse:
    return load_course(live_lti, learners=40, line_items=5)
