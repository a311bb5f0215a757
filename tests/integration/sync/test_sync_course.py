"""Course sync against the sandbox LMS: exact evidence, idempotence, faults, frugality."""

from __future__ import annotations

import pytest
import requests

from lti_tool.bootstrap import services
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.conftest import LiveLti
from tests.integration.sync.conftest import LoadedCourse, load_course
from tests.support.retry_waits import record_retry_waits


def sandbox_stats(live: LiveLti) -> dict:
    return requests.get(f"{live.sandbox_url}/_sandbox/stats", timeout=10).json()


def fault(live: LiveLti, **spec: object) -> None:
    response = requests.post(f"{live.sandbox_url}/_sandbox/faults", json=spec, timeout=10)
    assert response.status_code in (200, 201), response.text


def test_thousand_learners_twenty_items_sync_exactly_and_frugally(live_lti: LiveLti) -> None:
    course = load_course(live_lti, learners=1000, line_items=20)
    requests.post(f"{live_lti.sandbox_url}/_sandbox/stats/reset", timeout=10)
    run = run_sync(services(live_lti.tool), course.course_id)
    assert run.status == "succeeded", run.error
    counts = course.table_counts()
    assert counts["evidence"] == course.expected_evidence() == run.counts["evidence_created"]
    assert counts["memberships"] == 1000
    assert counts["lms_items"] == 20 + 0  # line items only (resource links come from launches)
    stats = sandbox_stats(live_lti)["requests"]
    pages = run.counts["pages"]
    # one token per scope set (NRPS, AGS) and one request per page (+1 line item listing)
    assert stats.get("token", 0) == 2, stats
    assert run.counts["requests"] == stats.get("token", 0) + stats.get("nrps", 0) + \
        stats.get("ags.lineitems", 0) + stats.get("ags.results", 0)
    assert stats.get("nrps", 0) + stats.get("ags.results", 0) + 1 == pages
    second = run_sync(services(live_lti.tool), course.course_id)
    assert second.status == "succeeded"
    assert course.table_counts() == counts
    assert second.counts.get("evidence_created", 0) == 0
    assert second.counts.get("evidence_updated", 0) == 0
    assert second.counts.get("people_created", 0) == 0
    assert second.counts.get("memberships_created", 0) == 0


@pytest.mark.parametrize("spec", [
    {"kind": "429", "retry_after": 1, "count": 2},
    {"kind": "500", "count": 2},
    {"kind": "403_throttle", "count": 1},
], ids=["429-retry-after", "500-then-success", "canvas-403-throttle"])
def test_transient_faults_end_in_success(spec: dict, small_course: LoadedCourse) -> None:
    live = small_course.live
    waits = record_retry_waits(live.tool)
    fault(live, path_prefix="/api/", **spec)
    run = run_sync(services(live.tool), small_course.course_id)
    assert run.status == "succeeded", run.error
    assert small_course.table_counts()["evidence"] == small_course.expected_evidence()
    assert len(waits) == spec["count"]  # each fault answered once, then retried


@pytest.mark.parametrize("spec, message", [
    ({"kind": "malformed", "count": 50}, "JSON"),
    ({"kind": "token_401", "count": 50, "path_prefix": "/token"}, "token"),
    ({"kind": "500", "count": 50}, "500"),
], ids=["malformed-page", "token-refused", "500-persisting"])
def test_lasting_faults_fail_clearly_and_resume(spec: dict, message: str,
                                                small_course: LoadedCourse) -> None:
    live = small_course.live
    record_retry_waits(live.tool)
    fault(live, **{"path_prefix": "/api/", **spec})
    failed = run_sync(services(live.tool), small_course.course_id)
    assert failed.status == "failed"
    assert message.lower() in failed.error.lower(), failed.error
    assert "Bearer" not in failed.error and "eyJ" not in failed.error
    requests.delete(f"{live.sandbox_url}/_sandbox/faults", timeout=10)
    resumed = run_sync(services(live.tool), small_course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert small_course.table_counts()["evidence"] == small_course.expected_evidence()


def test_failure_half_way_keeps_stored_pages_and_resumes_there(live_lti: LiveLti) -> None:
    course = load_course(live_lti, learners=1200, line_items=4)
    svc = services(live_lti.tool)
    record_retry_waits(live_lti.tool)
    fault(live_lti, kind="500", path_prefix="/api/courses/load-course/lineitems/", count=50)
    failed = run_sync(svc, course.course_id)
    assert failed.status == "failed"
    kept = course.table_counts()
    assert kept["memberships"] == 1200  # the roster pages committed before the failure
    assert failed.cursor.get("stage") == "results"
    requests.delete(f"{live_lti.sandbox_url}/_sandbox/faults", timeout=10)
    resumed = run_sync(svc, course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert course.table_counts()["evidence"] == course.expected_evidence()


def test_sync_without_known_services_says_what_to_do(live_lti: LiveLti) -> None:
    from lti_tool.usecases.sync.course import SyncNotPossible

    with pytest.raises(SyncNotPossible, match="launch the tool from the course"):
        run_sync(services(live_lti.tool), 999)


def test_a_results_page_failing_while_read_ahead_resumes_exactly_there(
        live_lti: LiveLti) -> None:
    """The next page is fetched while the last is stored (lms.read_ahead): when that fetch
    fails, every page before it is stored and the run resumes at the page that failed."""
    course = load_course(live_lti, learners=2500, line_items=3)  # 3 result pages per item
    svc = services(live_lti.tool)
    items, first_graded = course.item_ids(), course.graded_on_first_item()
    assert len(items) == 3
    record_retry_waits(live_lti.tool)
    fault(live_lti, kind="500", count=50,
          path_prefix=f"/api/courses/{course.context_id}/lineitems/{items[1]}/results")
    failed = run_sync(svc, course.course_id)
    assert failed.status == "failed" and "500" in failed.error
    assert failed.cursor == {"stage": "results", "item_index": 1}
    assert list(course.evidence_by_item().values()) == [2 * first_graded]  # the first item's
    requests.delete(f"{live_lti.sandbox_url}/_sandbox/faults", timeout=10)
    resumed = run_sync(svc, course.course_id)
    assert resumed.status == "succeeded", resumed.error
    assert course.table_counts()["evidence"] == course.expected_evidence()
    assert len(course.evidence_by_item()) == 3
