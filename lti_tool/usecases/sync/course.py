"""Course sync: roster, line items and results from the LMS into people and evidence.

Page by page, each page in its own transaction, with the run's cursor saved after every
page: a sync that fails half-way keeps what it stored and the next run resumes there.
A second run with no change in the LMS writes no person, membership, item or evidence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ...cache import Cache
from ...clock import utcnow
from ...config import Settings
from ...lms.ags import SCORE_SCOPE, AssignmentsGradesService
from ...lms.errors import LmsServiceError
from ...lms.http import HttpClient
from ...lms.nrps import NamesRolesService
from ...lms.tokens import AccessTokens
from ...lti.deep_linking import READINESS_TAG
from ...lti.keys import SigningKey
from ...records import SyncRun
from ...store.database import Database
from ...store.repositories.lti import LtiRepository
from ...store.repositories.sync import SyncRepository
from ..badges.issuing import issue_badges_for
from ..events import SYNC_COMPLETED, publish
from ..ready_transitions import check_ready_transitions
from ..score_passback import (
    LEARNER_ROLE,
    PassbackOutcome,
    post_readiness_scores,
    readiness_columns,
)
from ..service_hosts import service_registration
from ..sync.connector_stage import native_stage
from ..sync.stages import SyncContext, sync_line_items, sync_results, sync_roster

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]
STAGES = ("roster", "line_items", "results", "connector")
# A new run resumes from the cursor of a failed run, and of one left "running": its cursor
# was committed with its last page, so the pages before it are stored (writes are idempotent).
RESUMABLE = ("failed", "running")


class SyncNotPossible(LmsServiceError):
    """The course cannot be synced: no launch has told us its LMS services yet."""


@dataclass
class SyncPorts:
    """What a sync needs from outside: database, HTTP, cache and the tool's signing key.

    With `settings`, a successful sync then issues the badges its learners have earned.
    """

    database: Database
    http: HttpClient
    cache: Cache
    signing_key: Callable[[], SigningKey]
    clock: Callable[[], datetime] = field(default=utcnow)
    settings: Settings | None = None


def sync_course(ports: SyncPorts, course_id: int, trigger: str = "cli",
                progress: Progress | None = None) -> SyncRun:
    """Run one sync of `course_id` (resuming a failed one) and return its record."""
    run, resume = _start(ports, course_id, trigger)
    context = _context(ports, course_id, run, resume)
    runners = {**_STAGE_RUNNERS, "connector": native_stage(
        ports.settings.secret_key if ports.settings else None)}
    first = resume.get("stage", "roster")
    try:
        for stage in STAGES[STAGES.index(first if first in STAGES else "roster"):]:
            runners[stage](context, resume if resume.get("stage") == stage else {},
                           progress or _quiet)
        run = _finish(ports, context, "succeeded", "")
    except LmsServiceError as exc:
        log.warning("sync of course %s failed: %s", course_id, exc)
        return _finish(ports, context, "failed", str(exc))
    except Exception:
        log.exception("sync of course %s failed unexpectedly", course_id)
        _finish(ports, context, "failed", "internal error: see the tool's log")
        raise
    return _pass_back(ports, context, run, progress or _quiet)


def _start(ports: SyncPorts, course_id: int, trigger: str) -> tuple[SyncRun, dict[str, Any]]:
    with ports.database.session() as session:
        repo = SyncRepository(session)
        endpoints = repo.service_endpoints(course_id)
        if endpoints is None or not endpoints.memberships_url:
            raise SyncNotPossible(f"course {course_id} has no known LMS services yet: launch "
                                  "the tool from the course once (any role) and retry")
        previous = repo.runs(course_id, limit=1)
        last = previous[0] if previous else None
        resume = last.cursor if last and last.status in RESUMABLE else {}
        run = repo.start_run(course_id, trigger)
        if last is not None and last.status == "running":
            # its process died (killed worker, lost host) before _finish: close it as
            # failed so it is not "running" forever, and carry on from its last page
            repo.update_run(last.id, status="failed", finished_at=ports.clock(),
                            error=f"interrupted: its process stopped; run {run.id} resumed it")
        run = repo.update_run(run.id, status="running", started_at=ports.clock(),
                              cursor=resume)
        return run, dict(resume)


def _context(ports: SyncPorts, course_id: int, run: SyncRun, resume: dict[str, Any]
             ) -> SyncContext:
    with ports.database.session() as session:
        repo = SyncRepository(session)
        services = repo.service_endpoints(course_id)
        tenant_id, registration_id = repo.course_tenant(course_id)
        if services is None or registration_id is None:
            raise SyncNotPossible(f"course {course_id} is not linked to a platform")
        registration = LtiRepository(session).registration_by_id(registration_id)
    service = service_registration(ports.database, registration)
    tokens = AccessTokens(ports.http, ports.cache, ports.signing_key)
    start_requests = ports.http.request_count
    return SyncContext(
        database=ports.database, course_id=course_id, tenant_id=tenant_id, run_id=run.id,
        services=services, clock=ports.clock, counts=dict(run.counts),
        nrps=NamesRolesService(ports.http, tokens, service),
        ags=AssignmentsGradesService(ports.http, tokens, service, services.lineitems_url or None,
                                     scopes=services.ags_scopes),
        request_baseline=start_requests, http=ports.http, resumed=bool(resume))


def _finish(ports: SyncPorts, context: SyncContext, status: str, error: str) -> SyncRun:
    context.counts["requests"] = ports.http.request_count - context.request_baseline
    with ports.database.session() as session:
        repo = SyncRepository(session)
        if status == "succeeded":
            repo.finish_course(context.course_id, context.differences_url, ports.clock())
        cursor = {} if status == "succeeded" else context.cursor
        run = repo.update_run(context.run_id, status=status, error=error[:2000],
                              counts=context.counts, cursor=cursor, finished_at=ports.clock())
        learners = _announce(session, context, run) if status == "succeeded" else []
    if learners and ports.settings is not None:
        run = _issue_badges(ports, context, learners, run)
    return run


def _announce(session: Session, context: SyncContext, run: SyncRun) -> list[int]:
    """sync.completed, and person.ready_for_role for learners the sync made ready;
    the course's active learners."""
    publish(session, context.tenant_id, SYNC_COMPLETED, {
        "course_id": context.course_id, "run_id": run.id, "trigger": run.trigger,
        "counts": run.counts, "finished_at": run.finished_at.isoformat() if run.finished_at
        else None})
    learners = [p for p, _ in SyncRepository(session).active_learners(context.course_id,
                                                                       LEARNER_ROLE)]
    check_ready_transitions(session, context.tenant_id, learners)
    return learners


def _issue_badges(ports: SyncPorts, context: SyncContext, learners: list[int],
                  run: SyncRun) -> SyncRun:
    """After the run committed: each learner's due badges in their own unit of work.

    A badge failure never fails the sync: it is logged and counted as `badge_errors`.
    """
    assert ports.settings is not None
    outcome = issue_badges_for(ports.database, ports.settings, context.tenant_id, learners,
                               ports.clock())
    context.counts["badges_issued"] = outcome.issued
    context.counts["badge_errors"] = outcome.errors
    try:
        with ports.database.session() as session:
            return SyncRepository(session).update_run(context.run_id, counts=context.counts)
    except Exception:
        log.exception("recording the badge counts of sync run %s failed", context.run_id)
        return run


def _pass_back(ports: SyncPorts, context: SyncContext, run: SyncRun,
               progress: Progress) -> SyncRun:
    """After the run's own bookkeeping: post the readiness that changed (if allowed).

    Refused scores are counted per status (`scores_refused_409`, ...) and never fail the
    run; another LMS failure stops the passback and is noted on the succeeded run (what
    was accepted stays marked, the next sync posts the rest).
    """
    if not context.services.lineitems_url or SCORE_SCOPE not in context.services.ags_scopes:
        return run
    outcome, error = PassbackOutcome(), ""
    try:
        columns = context.readiness_columns
        if columns is None:
            columns = readiness_columns(context.ags.line_items(tag=READINESS_TAG))
        post_readiness_scores(ports.database, context.ags, context.tenant_id,
                              context.course_id, columns, ports.clock, outcome)
    except LmsServiceError as exc:
        log.warning("score passback of course %s stopped: %s", context.course_id, exc)
        error = f"score passback stopped: {exc}"
    except Exception:
        log.exception("score passback of course %s failed unexpectedly", context.course_id)
        error = "score passback stopped: internal error: see the tool's log"
    context.counts.update(outcome.counts())
    context.counts["requests"] = ports.http.request_count - context.request_baseline
    progress("passback", outcome.posted)
    with ports.database.session() as session:
        fields: dict[str, Any] = {"counts": context.counts}
        if error:
            fields["error"] = error[:2000]
        return SyncRepository(session).update_run(context.run_id, **fields)


def _quiet(_stage: str, _done: int) -> None:
    return None


_STAGE_RUNNERS: dict[str, Callable[[SyncContext, dict[str, Any], Progress], None]] = {
    "roster": sync_roster, "line_items": sync_line_items, "results": sync_results,
}
