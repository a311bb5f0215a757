"""Score passback: each learner's readiness (0–100) to the placed readiness widget's column."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from ..domain.errors import CareerPathError
from ..lms.ags import AssignmentsGradesService, LineItem, Score
from ..lti.deep_linking import READINESS_TAG
from ..store.database import Database
from ..store.learner_context import load_learner_context
from ..store.repositories.sync import SyncRepository
from .readiness import learner_levels, readiness_report

log = logging.getLogger(__name__)
LEARNER_ROLE = "membership#Learner"


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
                          clock: Callable[[], datetime]) -> int:
    """Post every active learner's readiness to each readiness column; the count posted."""
    if not columns:
        return 0
    with database.session() as session:
        learners = SyncRepository(session).active_learners(course_id, LEARNER_ROLE)
    posted = 0
    for person_id, sub in learners:
        for item, role_id in columns:
            score = _readiness_percent(database, tenant_id, person_id, role_id, clock())
            if score is None:
                continue
            ags.post_score(item.id, Score(sub, score, 100.0, "Completed", "FullyGraded",
                                          clock(), "Readiness for the target role"))
            posted += 1
    return posted


def _readiness_percent(database: Database, tenant_id: int, person_id: int, role_id: str,
                       now: datetime) -> float | None:
    with database.session() as session:
        context = load_learner_context(session, tenant_id, person_id)
    role = role_id or (context.goals[0] if context.goals else "")
    if not role:
        return None
    try:
        report = readiness_report(learner_levels(context), role, now)
    except CareerPathError:
        log.warning("readiness column names role %s, which tenant %s does not have", role,
                    tenant_id)
        return None
    return round(report.readiness.score * 100, 2)



