"""Score passback: after a sync, each learner's changed readiness reaches the readiness column;
a score the LMS refuses for one learner is recorded and skipped, never failing the run."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select, update

from lti_tool.bootstrap import Services, services
from lti_tool.domain.roles import Requirement
from lti_tool.domain.rules import EvidenceRule, ScoreAtLeast
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.sandbox import platform_of
from lti_tool.store.learner_context import load_learner_context
from lti_tool.store.models import CourseRow, CourseServicesRow, EventRow, LmsItemRow
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.passback import PassbackMarks
from lti_tool.store.repositories.people import PersonRepository
from lti_tool.store.repositories.roles import RoleRepository
from lti_tool.store.repositories.taxonomy import TaxonomyRepository
from lti_tool.usecases.readiness import learner_levels, readiness_report
from lti_tool.usecases.sync.course import sync_course
from lti_tool.usecases.sync.jobs import run_sync, sync_ports
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_deep_linking_and_keys import deep_linking_picker
from tests.support.browser import Browser
from tests.support.retry_waits import record_retry_waits

FAR_FUTURE = "2100-01-01T00:00:00+00:00"


def analyst_role(live: LiveLti) -> tuple[str, str]:
    """A role needing SQL at level 2 in the sandbox platform's tenant; (role id, competency)."""
    tenant = live.platform.registration.tenant_id
    with services(live.tool).database.session() as session:
        taxonomy = TaxonomyRepository(session)
        framework = taxonomy.add_framework(tenant, "Data", taxonomy.ensure_scale(
            FOUR_POINT_RUBRIC))
        sql = taxonomy.add_competency(framework, "DA.SQL", "SQL")
        role = RoleRepository(session).add(tenant, "Data Analyst", [Requirement(sql.id, 2, 1)],
                                           threshold=0.8)
    return role.id, sql.id


@dataclass
class PlacedColumn:
    """course-101 with a readiness column for the analyst role, synced once (no rules yet)."""

    live: LiveLti
    svc: Services
    course_id: int
    role_id: str
    sql: str

    def add_quiz_rule(self, percent: float = 60) -> None:
        with self.svc.database.session() as session:
            quiz = session.scalar(select(LmsItemRow.id).where(
                LmsItemRow.title == "SQL Fundamentals quiz"))
            CourseRepository(session).add_rule(EvidenceRule("", str(quiz), self.sql, 2,
                                                            ScoreAtLeast(percent)))

    def expected(self) -> dict[str, float]:
        """Each learner's readiness (0–100) as the tool computes it now."""
        found = {}
        tenant = self.live.platform.registration.tenant_id
        for sub in self.live.users("learner"):
            with self.svc.database.session() as session:
                person = PersonRepository(session).by_sub(tenant, sub)
                context = load_learner_context(session, tenant, person.id)
            report = readiness_report(learner_levels(context), self.role_id, datetime.now(UTC))
            found[sub] = round(report.readiness.score * 100, 2)
        return found

    def column(self):  # noqa: ANN201 - the sandbox's line item
        course = platform_of(self.live.sandbox).state.course("course-101")
        return next(item for item in course.line_items.values()
                    if item.tag == "careerpath-readiness")

    def column_scores(self) -> dict[str, float]:
        state = platform_of(self.live.sandbox).state
        with state.lock:
            return {user: result.score for user, result in self.column().results.items()}

    def score_posts(self) -> int:
        """POSTs to a /scores endpoint the sandbox saw since the last reset."""
        stats = requests.get(f"{self.live.sandbox_url}/_sandbox/stats", timeout=10).json()
        return stats["requests"].get("ags.scores", 0)

    def reset_counts(self) -> None:
        requests.post(f"{self.live.sandbox_url}/_sandbox/stats/reset", timeout=10)


def placed_column(live: LiveLti) -> PlacedColumn:
    role_id, sql = analyst_role(live)
    browser = Browser()
    picker = deep_linking_picker(live, browser, live.users("instructor")[0])
    returned = browser.submit(picker, extra={"widget": "readiness", "line_item": "1",
                                             "target_role": role_id})
    assert browser.submit(returned).status_code == 200
    svc = services(live.tool)
    with svc.database.session() as session:
        course_id = session.scalar(select(CourseRow.id).where(CourseRow.context_id == "course-101"))
    placed = PlacedColumn(live, svc, course_id, role_id, sql)
    placed.reset_counts()
    run = run_sync(svc, course_id)
    assert run.status == "succeeded", run.error
    learners = len(live.users("learner"))
    assert run.counts["scores_posted"] == learners == placed.score_posts()
    return placed


def test_readiness_scores_reach_the_gradebook(live_lti: LiveLti) -> None:
    placed = placed_column(live_lti)
    placed.add_quiz_rule()
    run = run_sync(placed.svc, placed.course_id)
    assert run.status == "succeeded", run.error
    posted = placed.column_scores()
    assert posted == placed.expected()
    assert any(score == 100 for score in posted.values())
    assert any(score < 100 for score in posted.values())


def test_only_changed_scores_are_posted(live_lti: LiveLti) -> None:
    placed = placed_column(live_lti)
    before = placed.column_scores()
    placed.reset_counts()
    unchanged = run_sync(placed.svc, placed.course_id)
    assert unchanged.status == "succeeded", unchanged.error
    assert placed.score_posts() == 0
    assert unchanged.counts["scores_posted"] == 0
    assert unchanged.counts["scores_unchanged"] == len(before)

    placed.add_quiz_rule()
    expected = placed.expected()
    changed = {sub for sub, score in expected.items() if score != before[sub]}
    assert 0 < len(changed) < len(expected)
    placed.reset_counts()
    run = run_sync(placed.svc, placed.course_id)
    assert run.status == "succeeded", run.error
    assert placed.score_posts() == len(changed) == run.counts["scores_posted"]
    assert run.counts["scores_unchanged"] == len(expected) - len(changed)
    assert placed.column_scores() == expected


def test_a_refused_learner_is_recorded_skipped_and_not_retried(live_lti: LiveLti) -> None:
    placed = placed_column(live_lti)
    before = placed.column_scores()
    placed.add_quiz_rule()
    expected = placed.expected()
    changed = sorted(sub for sub, score in expected.items() if score != before[sub])
    assert len(changed) >= 3
    later, leaver = changed[0], changed[1]
    state = platform_of(live_lti.sandbox).state
    with state.lock:  # another score stamped later (409); a learner the LMS forgot (400)
        placed.column().last_score_at[later] = FAR_FUTURE
        del state.course("course-101").members[leaver]
    with placed.svc.database.session() as session:  # forget the roster bookkeeping
        session.execute(update(CourseServicesRow).where(
            CourseServicesRow.course_id == placed.course_id).values(differences_url=""))
    placed.reset_counts()

    run = run_sync(placed.svc, placed.course_id)

    assert run.status == "succeeded", run.error
    assert run.counts["scores_refused"] == 2
    assert run.counts["scores_refused_409"] == 1
    assert run.counts["scores_refused_400"] == 1
    assert run.counts["scores_posted"] == len(changed) - 2
    assert placed.score_posts() == len(changed)
    scores = placed.column_scores()
    assert all(scores[sub] == expected[sub] for sub in changed[2:])
    with placed.svc.database.session() as session:
        services_row = session.get(CourseServicesRow, placed.course_id)
        assert services_row.differences_url  # saved although scores were refused
        assert services_row.last_synced_at is not None
        completed = [json.loads(e.data) for e in session.scalars(
            select(EventRow).where(EventRow.type == "sync.completed"))]
        refusals = PassbackMarks(session).refusals(placed.course_id)
    assert run.id in {event["run_id"] for event in completed}
    tenant = live_lti.platform.registration.tenant_id
    with placed.svc.database.session() as session:
        ids = {PersonRepository(session).by_sub(tenant, sub).id: sub for sub in (later, leaver)}
    assert {(ids[m.person_id], m.refused_status) for m in refusals} == {(later, 409),
                                                                         (leaver, 400)}
    assert all(m.refused_reason and m.refused_score is not None for m in refusals)

    placed.reset_counts()
    again = run_sync(placed.svc, placed.course_id)
    assert again.status == "succeeded", again.error
    assert placed.score_posts() == 0
    assert again.counts["scores_refused"] == 0
    assert again.counts["scores_not_retried"] == 2


def test_a_score_is_stamped_later_than_the_last_accepted(live_lti: LiveLti) -> None:
    """Moodle's rule: with the clock behind the last accepted score (another host, a
    clock step), the next is stamped just after that one, so the LMS accepts it (no 409)."""
    placed = placed_column(live_lti)
    with placed.svc.database.session() as session:
        marks = PassbackMarks(session).of_course(placed.course_id)
    behind = min(m.posted_at for m in marks.values() if m.posted_at) - timedelta(hours=1)
    placed.add_quiz_rule()
    ports = replace(sync_ports(placed.svc), clock=lambda: behind)

    run = sync_course(ports, placed.course_id)

    assert run.status == "succeeded", run.error
    assert run.counts["scores_refused"] == 0
    assert run.counts["scores_posted"] > 0
    with placed.svc.database.session() as session:
        after = PassbackMarks(session).of_course(placed.course_id)
    moved = [m for key, m in after.items() if m.score != marks[key].score]
    assert len(moved) == run.counts["scores_posted"]
    assert moved
    assert all(m.posted_at > marks[(m.person_id, m.line_item)].posted_at for m in moved)


def test_a_failing_gradebook_stops_passback_not_the_sync(live_lti: LiveLti) -> None:
    """5xx on the scores endpoint: the run stays succeeded (its bookkeeping done) and says
    passback stopped; the next run posts what was not accepted."""
    placed = placed_column(live_lti)
    placed.add_quiz_rule()
    expected = placed.expected()
    before = placed.column_scores()
    changed = {sub for sub, score in expected.items() if score != before[sub]}
    column_path = "/api/courses/course-101/lineitems/" + placed.column().id.rsplit("/", 1)[-1]
    record_retry_waits(live_lti.tool)
    response = requests.post(f"{live_lti.sandbox_url}/_sandbox/faults", json={
        "kind": "500", "count": 50, "path_prefix": f"{column_path}/scores"}, timeout=10)
    assert response.status_code == 201, response.text

    stopped = run_sync(placed.svc, placed.course_id)

    assert stopped.status == "succeeded"
    assert stopped.error.startswith("score passback stopped"), stopped.error
    assert stopped.counts["scores_posted"] == 0
    with placed.svc.database.session() as session:
        assert session.get(CourseServicesRow, placed.course_id).differences_url
    requests.delete(f"{live_lti.sandbox_url}/_sandbox/faults", timeout=10)
    placed.reset_counts()
    resumed = run_sync(placed.svc, placed.course_id)
    assert resumed.status == "succeeded" and not resumed.error
    assert resumed.counts["scores_posted"] == len(changed) == placed.score_posts()
    assert placed.column_scores() == expected
