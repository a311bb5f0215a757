"""A course in the sandbox with many results, known to the tool through one real launch."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.records import SyncRun
from lti_tool.sandbox import platform_of, seed_load
from lti_tool.store.models import CourseRow, EvidenceRow, LmsItemRow, MembershipRow, PersonRow
from lti_tool.store.repositories.sync import SyncRepository
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

    def item_ids(self) -> list[str]:
        """The course's line items in the order the LMS lists them (the sync's order)."""
        state = platform_of(self.live.sandbox).state
        with state.lock:
            return [item.id for item in state.course(self.context_id).line_items.values()]

    def graded_on_first_item(self) -> int:
        state = platform_of(self.live.sandbox).state
        with state.lock:
            first = next(iter(state.course(self.context_id).line_items.values()))
            return sum(1 for result in first.results.values() if result.score is not None)

    def results_in_lms(self) -> int:
        """How many results the LMS holds for the course (graded or not)."""
        state = platform_of(self.live.sandbox).state
        with state.lock:
            return sum(len(item.results) for item in
                       state.course(self.context_id).line_items.values())

    def last_run(self) -> SyncRun:
        with services(self.live.tool).database.read_session() as session:
            return SyncRepository(session).runs(self.course_id, limit=1)[0]

    def evidence_by_item(self) -> dict[int, int]:
        """How many evidence rows the tool holds per LMS item."""
        with services(self.live.tool).database.read_session() as session:
            return dict(session.execute(select(EvidenceRow.lms_item_id, func.count())
                                        .group_by(EvidenceRow.lms_item_id)).all())

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


def fail_page_store(monkeypatch: pytest.MonkeyPatch, number: int) -> list[str]:
    """Make the `number`th page's store fail (its evidence insert raises); the names of the
    threads that stored pages, one per page, as they come."""
    real, calls = SyncRepository.add_item_evidence, []

    def failing(self: SyncRepository, *args: Any) -> None:
        calls.append(threading.current_thread().name)
        if len(calls) == number:
            raise RuntimeError("the database went away")
        real(self, *args)

    monkeypatch.setattr(SyncRepository, "add_item_evidence", failing)
    return calls
