"""Score passback: each learner's readiness (0–100) to the placed readiness widget's column.

Only a score that differs from the last one the LMS accepted for that learner and column is
posted, stamped later than that one (Moodle answers 409 to a timestamp that is not later).
A score the LMS refuses for one learner (409, 400, 422, or 403 for a learner who left) is
recorded for that learner and column and skipped; the same score is not sent again, so a
resumed or later run does not hit the same refusal. Any other failure (throttling, server
errors, a lost connection) stops the passback; what was accepted stays marked.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..domain.errors import CareerPathError
from ..lms.ags import AssignmentsGradesService, LineItem, Score
from ..lms.errors import LmsAuthError, LmsConflict, LmsRequestRejected, LmsServiceError
from ..lti.deep_linking import READINESS_TAG
from ..store.database import Database
from ..store.learner_context import load_learner_context
from ..store.repositories.passback import PassbackMark, PassbackMarks
from ..store.repositories.sync import SyncRepository
from .readiness import LearnerLevels, learner_levels, readiness_report

log = logging.getLogger(__name__)
LEARNER_ROLE = "membership#Learner"
SAME_SCORE = 1e-9
# The step added to a timestamp that would not be later than the last accepted one.
LATER = timedelta(milliseconds=1)
REFUSAL_REASONS = {
    409: "the LMS holds a score with a later timestamp for this learner",
    400: "the LMS refused the score as invalid (often: not a member of the course)",
    403: "the LMS refused a score for this learner (often: no longer enrolled)",
    422: "the LMS refused the score as invalid (often: not a member of the course)",
}


@dataclass
class PassbackOutcome:
    """What one passback did: scores posted, unchanged, refused (by HTTP status) and those
    not sent again because the LMS refused that same score before."""

    posted: int = 0
    unchanged: int = 0
    not_retried: int = 0
    refused: Counter[int] = field(default_factory=Counter)

    @property
    def refused_total(self) -> int:
        return sum(self.refused.values())

    def counts(self) -> dict[str, int]:
        """Run counters: scores_posted, _unchanged, _not_retried, _refused, _refused_<status>."""
        found = {"scores_posted": self.posted, "scores_unchanged": self.unchanged,
                 "scores_not_retried": self.not_retried, "scores_refused": self.refused_total}
        found.update({f"scores_refused_{status}": n for status, n in self.refused.items()})
        return found


def readiness_columns(items: Iterable[LineItem]) -> list[tuple[LineItem, str]]:
    """Line items the tool placed for readiness, with the target role each names ("" = goal)."""
    found = []
    for item in items:
        if item.tag != READINESS_TAG:
            continue
        prefix = "careerpath-readiness-"
        role = (item.resource_id or "")[len(prefix):] if (item.resource_id or "").startswith(
            prefix) else ""
        found.append((item, role))
    return found


def post_readiness_scores(database: Database, ags: AssignmentsGradesService, tenant_id: int,
                          course_id: int, columns: list[tuple[LineItem, str]],
                          clock: Callable[[], datetime],
                          outcome: PassbackOutcome | None = None) -> PassbackOutcome:
    """Post each active learner's changed readiness to each readiness column.

    `outcome` is filled as the run goes, so a caller that catches a failure still knows
    what was done before it.
    """
    outcome = outcome if outcome is not None else PassbackOutcome()
    if not columns:
        return outcome
    with database.session() as session:
        learners = SyncRepository(session).active_learners(course_id, LEARNER_ROLE)
        marks = PassbackMarks(session).of_course(course_id)
    for person_id, sub in learners:
        learner = _learner(database, tenant_id, person_id)
        for item, role_id in columns:
            score = _readiness_percent(learner, tenant_id, role_id, clock())
            if score is None:
                continue
            _post_one(database, ags, course_id, (person_id, sub), item, score,
                      marks.get((person_id, item.id)), clock, outcome)
    return outcome


def _post_one(database: Database, ags: AssignmentsGradesService, course_id: int,
              learner: tuple[int, str], item: LineItem, score: float,
              mark: PassbackMark | None, clock: Callable[[], datetime],
              outcome: PassbackOutcome) -> None:
    person_id, sub = learner
    if mark is not None and mark.score is not None and abs(mark.score - score) < SAME_SCORE:
        outcome.unchanged += 1
        return
    if mark is not None and mark.refused_score is not None and abs(
            mark.refused_score - score) < SAME_SCORE:
        outcome.not_retried += 1
        return
    stamp = clock()
    if mark is not None and mark.posted_at is not None and stamp <= mark.posted_at:
        stamp = mark.posted_at + LATER
    try:
        ags.post_score(item.id, Score(sub, score, 100.0, "Completed", "FullyGraded", stamp,
                                      "Readiness for the target role"))
    except LmsServiceError as exc:
        if not _refusal(exc):
            raise
        reason = REFUSAL_REASONS.get(exc.status or 0, "the LMS refused the score")
        log.warning("course %s: the LMS refused person %s's score on %s: %s", course_id,
                    person_id, item.id, exc)
        with database.session() as session:
            PassbackMarks(session).refused(course_id, person_id, item.id, score, exc.status,
                                           reason, clock())
        outcome.refused[exc.status or 0] += 1
        return
    with database.session() as session:
        PassbackMarks(session).accepted(course_id, person_id, item.id, score, stamp)
    outcome.posted += 1


def _refusal(exc: LmsServiceError) -> bool:
    """Whether the LMS refused this one learner's score (not the whole service)."""
    if isinstance(exc, LmsConflict | LmsRequestRejected):
        return True
    return isinstance(exc, LmsAuthError) and exc.status == 403


def _learner(database: Database, tenant_id: int, person_id: int) -> LearnerLevels:
    with database.session() as session:
        return learner_levels(load_learner_context(session, tenant_id, person_id))


def _readiness_percent(learner: LearnerLevels, tenant_id: int, role_id: str,
                       now: datetime) -> float | None:
    context = learner.context
    role = role_id or (context.goals[0] if context.goals else "")
    if not role:
        return None
    try:
        report = readiness_report(learner, role, now)
    except CareerPathError:
        log.warning("readiness column names role %s, which tenant %s does not have", role,
                    tenant_id)
        return None
    return round(report.readiness.score * 100, 2)
