"""Course sync against the Moodle and the Canvas flavour of the sandbox (issue 17).

Every page of every line item is read exactly once, the stored evidence equals the graded
results the platform shows the tool, a second run writes nothing, and no result is ever
skipped because of its timestamp (roster-only first sync, backdated grades, line items that
become visible later, learners who enrol later).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.sandbox.gradebook import visible_to
from lti_tool.sandbox.seed import generated_user
from lti_tool.store.models import EvidenceRow
from lti_tool.usecases.sync import stages as sync_stages
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.integration.sync.conftest import LoadedCourse, load_course
from tests.support.browser import Browser

FLAVOURS = ["moodle", "canvas"]
PAGE = {"moodle": 100, "canvas": 100}  # Moodle pages as asked; Canvas caps per_page at 100
LONG_AGO = (datetime.now(UTC) - timedelta(days=30)).replace(microsecond=0).isoformat()


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tool asks for pages of 100 results (so a 300-learner course has several)."""
    monkeypatch.setattr(sync_stages, "RESULTS_PAGE", 100)


def graded_visible(course: LoadedCourse) -> tuple[int, int]:
    """(graded results AGS shows the tool, result pages those items take)."""
    platform = platform_of(course.live.sandbox)
    client_id = platform.settings.client_id
    with platform.state.lock:
        items = [i for i in platform.state.course(course.context_id).line_items.values()
                 if visible_to(i, client_id)]
        graded = sum(1 for i in items for r in i.results.values() if r.score)
        pages = sum(max(1, -(-len(i.results) // 100)) for i in items)
    return graded, pages


def stored_evidence(course: LoadedCourse) -> int:
    with services(course.live.tool).database.read_session() as session:
        return session.scalar(select(func.count()).select_from(EvidenceRow))


def results_requests(live: LiveLti) -> int:
    stats = requests.get(f"{live.sandbox_url}/_sandbox/stats", timeout=10).json()["requests"]
    return stats.get("ags.results", 0)


@pytest.mark.usefixtures("small_pages")
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_300_learner_course_every_page_once_every_result_stored(
        live_lti: LiveLti, flavour: str) -> None:
    """Issue 17's Moodle course: 300 learners, 12 line items; all graded results stored."""
    course = load_course(live_lti, learners=300, line_items=12, context_id=f"big-{flavour}",
                         flavour=flavour)
    requests.post(f"{live_lti.sandbox_url}/_sandbox/stats/reset", timeout=10)
    run = run_sync(services(live_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    graded, pages = graded_visible(course)
    stored = stored_evidence(course)
    print(f"\n[{flavour}] graded results on the platform: {graded}; "
          f"stored completions: {stored // 2}; evidence rows: {stored}; "
          f"result pages read: {results_requests(live_lti)} of {pages}")
    assert pages > 12  # several pages per item
    assert results_requests(live_lti) == pages  # every page, each exactly once
    assert stored == 2 * graded == run.counts["evidence_created"]
    second = run_sync(services(live_lti.tool), course.course_id)
    assert second.status == "succeeded", second.error
    assert second.counts.get("evidence_created", 0) == 0
    assert second.counts.get("evidence_updated", 0) == 0
    assert stored_evidence(course) == stored


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_first_full_sync_after_a_roster_only_sync_stores_everything(
        live_lti: LiveLti, flavour: str) -> None:
    """A sync before any line item existed read only the roster; grades entered later
    but stamped before that sync are all stored by the next one."""
    course = load_course(live_lti, learners=30, line_items=0, context_id=f"ro-{flavour}",
                         flavour=flavour)
    svc = services(live_lti.tool)
    first = run_sync(svc, course.course_id)
    assert first.status == "succeeded" and first.counts.get("members") == 30
    platform = platform_of(live_lti.sandbox)
    with platform.state.lock:
        for n in range(3):
            item = platform.gradebook.create_line_item(
                course.context_id, {"label": f"Checkpoint {n}", "scoreMaximum": 10},
                platform.settings.client_id)
            for index in range(30):
                platform.gradebook.set_result(item, generated_user(course.context_id, index).id,
                                              5.0 + n, timestamp=LONG_AGO)
    second = run_sync(svc, course.course_id)
    assert second.status == "succeeded", second.error
    assert stored_evidence(course) == 2 * 3 * 30 == 2 * graded_visible(course)[0]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_backdated_grade_newly_visible_item_and_newly_enrolled_learner(
        live_lti: LiveLti, flavour: str) -> None:
    course = load_course(live_lti, learners=20, line_items=2, context_id=f"late-{flavour}",
                         flavour=flavour)
    svc = services(live_lti.tool)
    platform = platform_of(live_lti.sandbox)
    tool = platform.settings.client_id
    with platform.state.lock:
        hidden = platform.gradebook.create_line_item(
            course.context_id, {"label": "Applied project", "scoreMaximum": 50}, "someone-else")
        for index in range(20):
            platform.gradebook.set_result(hidden, generated_user(course.context_id, index).id,
                                          40.0, timestamp=LONG_AGO)
    assert run_sync(svc, course.course_id).status == "succeeded"
    before = stored_evidence(course)
    assert before == 2 * graded_visible(course)[0]
    with platform.state.lock:
        items = [i for i in platform.state.course(course.context_id).line_items.values()
                 if visible_to(i, tool)]
        missing = next(generated_user(course.context_id, i).id for i in range(20)
                       if generated_user(course.context_id, i).id not in items[0].results)
        # a grader enters a grade late, backdated to before the last sync
        platform.gradebook.set_result(items[0], missing, 7.0, timestamp=LONG_AGO)
        # the item becomes visible to the tool (its line item, re-associated)
        hidden.client_id = tool
        # a learner enrols late; their grade is stamped long ago (a transfer)
        newcomer = generated_user(course.context_id, 999)
        platform.state.enrol_many(course.context_id, [newcomer], "learner")
        platform.gradebook.set_result(items[1], newcomer.id, 9.0, timestamp=LONG_AGO)
    after = run_sync(svc, course.course_id)
    assert after.status == "succeeded", after.error
    expected = 2 * graded_visible(course)[0]
    assert stored_evidence(course) == expected == before + 2 * (1 + 20 + 1)


def test_canvas_throttle_403s_are_waited_out_and_nothing_is_lost(live_lti: LiveLti) -> None:
    """Canvas answers an empty bucket with 403 Rate Limit Exceeded: the sync backs off,
    retries the same page and still stores every graded result."""
    course = load_course(live_lti, learners=300, line_items=4, context_id="throttled",
                         flavour="canvas")
    registration = platform_of(live_lti.sandbox).default_registration
    registration.throttle = {"capacity": 4.0, "refill_per_second": 8.0}
    run = run_sync(services(live_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    assert registration.bucket.get("refused", 0) > 0  # it was throttled, and recovered
    assert stored_evidence(course) == 2 * graded_visible(course)[0]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_launch_without_ags_then_full_sync_stores_every_result(
        live_lti: LiveLti, flavour: str) -> None:
    """Issue 17's case: the first launch carried NRPS but no AGS (grade sync off), so the
    first sync read only the roster; once AGS is on, the next sync stores every graded
    result, however old its timestamp (Moodle: the stamps predate the roster-only sync)."""
    platform = platform_of(live_lti.sandbox)
    platform.default_registration.grade_sync = False
    course = load_course(live_lti, learners=40, line_items=3, context_id=f"noags-{flavour}",
                         flavour=flavour)
    with platform.state.lock:
        for item in platform.state.course(course.context_id).line_items.values():
            for result in item.results.values():
                result.timestamp = LONG_AGO
    svc = services(live_lti.tool)
    roster_only = run_sync(svc, course.course_id)
    assert roster_only.status == "succeeded" and roster_only.counts.get("members") == 40
    assert stored_evidence(course) == 0
    platform.default_registration.grade_sync = True
    page = launch(Browser(), live_lti, f"{course.context_id}-link",
                  f"{course.context_id}-u00001", course=course.context_id)
    assert page.status_code == 200
    full = run_sync(svc, course.course_id)
    assert full.status == "succeeded", full.error
    assert stored_evidence(course) == 2 * graded_visible(course)[0] > 0
