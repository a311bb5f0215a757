"""A successful sync then issues its learners' badges; a badge failure never fails the sync."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lti_tool.bootstrap import services
from lti_tool.domain.calculation import CalculationMethod
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.scales import DEVELOPING_PROFICIENT_ADVANCED
from lti_tool.store.repositories import EvidenceRepository, TaxonomyRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.badges import badges_of
from lti_tool.usecases.badges import issuing as badge_issuing
from lti_tool.usecases.score_passback import LEARNER_ROLE
from lti_tool.usecases.sync.jobs import run_sync
from tests.integration.sync.conftest import LoadedCourse


def _badge_competency(course: LoadedCourse) -> tuple[int, str]:
    database = services(course.live.tool).database
    with database.session() as session:
        tenant_id, _ = SyncRepository(session).course_tenant(course.course_id)
        taxonomy = TaxonomyRepository(session)
        framework = taxonomy.add_framework(
            tenant_id, "Sync skills", taxonomy.ensure_scale(DEVELOPING_PROFICIENT_ADVANCED),
            CalculationMethod.highest())
        return tenant_id, taxonomy.add_competency(framework, "SY-1", "Syncing",
                                                  badge_level=2).id


def _learners(course: LoadedCourse) -> list[int]:
    with services(course.live.tool).database.session() as session:
        return [p for p, _ in SyncRepository(session).active_learners(course.course_id,
                                                                      LEARNER_ROLE)]


def test_sync_issues_earned_badges_and_counts_them(small_course: LoadedCourse) -> None:
    svc = services(small_course.live.tool)
    tenant_id, competency = _badge_competency(small_course)
    first = run_sync(svc, small_course.course_id)
    assert first.status == "succeeded", first.error
    assert (first.counts["badges_issued"], first.counts["badge_errors"]) == (0, 0)
    learner = _learners(small_course)[0]
    with svc.database.session() as session:
        EvidenceRepository(session).record(tenant_id, Evidence(
            EvidenceKind.MANAGER_ENDORSEMENT, str(learner), datetime.now(UTC), 2.0,
            competency_id=competency, source_ref="sync-badge"))
    second = run_sync(svc, small_course.course_id)
    assert second.status == "succeeded"
    assert (second.counts["badges_issued"], second.counts["badge_errors"]) == (1, 0)
    [badge] = badges_of(svc.database, learner)
    assert badge.achievement_key == f"competency-{competency}"
    with svc.database.session() as session:
        stored = SyncRepository(session).run(second.id)
    assert stored.counts["badges_issued"] == 1, "the counts are stored with the run"
    third = run_sync(svc, small_course.course_id)
    assert third.counts["badges_issued"] == 0, "a held badge is not issued again"


def test_a_badge_failure_is_logged_and_counted_not_a_failed_sync(
        small_course: LoadedCourse, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    _badge_competency(small_course)

    def broken(*_args: object, **_kwargs: object) -> list:
        raise RuntimeError("signing is broken")

    monkeypatch.setattr(badge_issuing, "issue_due_badges", broken)
    run = run_sync(services(small_course.live.tool), small_course.course_id)
    assert run.status == "succeeded", run.error
    assert run.counts["badges_issued"] == 0
    assert run.counts["badge_errors"] == len(_learners(small_course)) > 0
    assert "issuing badges to person" in caplog.text
    assert small_course.table_counts()["evidence"] == small_course.expected_evidence()
