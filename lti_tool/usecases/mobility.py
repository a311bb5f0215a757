"""Mobility metrics for the API and the admin dashboard: fills, promotions, moves, skills.

Skills-gap closure compares each competency's mean level at the start of the period with
its level at the end, over the tenant's people with evidence (a level missing counts as 0);
readiness per role is spread over the people who declared that role as a goal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import cast

from sqlalchemy.orm import Session

from ..cache import MemoryCache
from ..domain.calculation import Observation
from ..domain.cohorts import (
    GapClosure,
    ReadinessDistribution,
    readiness_distribution,
    skills_gap_closure,
)
from ..domain.errors import InvalidInput
from ..domain.levels import DEFAULT_POLICY, LevelPolicy, observations_for
from ..domain.metrics import (
    Duration,
    FillRate,
    MobilityPoint,
    check_period,
    internal_fill_rate,
    mobility_velocity,
    monthly_series,
    time_to_promotion,
)
from ..domain.readiness import readiness_for
from ..store.catalogue import CatalogueCache
from ..store.database import Database
from ..store.learner_context import LearnerContext, load_learner_context
from ..store.repositories.hris import HrisRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.tenant_scope import TenantScope
from .readiness import learner_levels

MAX_PERIOD = timedelta(days=3700)
REPORT_TTL = 600  # a bound on how long another process's unannounced change can lag


@dataclass(frozen=True)
class MobilityReport:
    """Every mobility metric of one period, with its monthly series."""

    start: date
    end: date
    role_id: int | None
    fill_rate: FillRate
    time_to_promotion: Duration
    velocity: Duration
    gap_closure: tuple[GapClosure, ...]
    readiness: tuple[ReadinessDistribution, ...]
    series: tuple[MobilityPoint, ...]


def mobility_series(database: Database, tenant_id: int, start: date, end: date,
                    role_id: int | None = None) -> list[MobilityPoint]:
    """One point per month (internal fill rate, time to promotion, velocity) for charts."""
    _check_period(start, end)
    with database.session() as session:
        _check_role(session, tenant_id, role_id)
        repo = HrisRepository(session)
        changes, openings = repo.role_changes(tenant_id), repo.openings(tenant_id)
    return monthly_series(changes, openings, start, end, _text(role_id))


def mobility_metrics(database: Database, tenant_id: int, start: date, end: date,
                     role_id: int | None = None, memo: MemoryCache | None = None,
                     version: Hashable | None = None) -> MobilityReport:
    """The period's metrics for the tenant (or the openings and spells of one role).

    They read every person with evidence or goals; with `memo` and the `version` of the
    catalogue and people data (evidence, goals, HRIS facts), a report is computed once per
    version and period and reused by the requests after it.
    """
    _check_period(start, end)
    key = f"mobility:{tenant_id}:{start}:{end}:{role_id}:{version}"
    if memo is not None and version is not None:
        with database.session() as session:
            _check_role(session, tenant_id, role_id)
        cached = memo.get(key)
        if cached is not None:
            return cast(MobilityReport, cached)
    report = _mobility_report(database, tenant_id, start, end, role_id)
    if memo is not None and version is not None:
        memo.set(key, report, REPORT_TTL)
    return report


def _mobility_report(database: Database, tenant_id: int, start: date, end: date,
                     role_id: int | None) -> MobilityReport:
    with database.session() as session:
        _check_role(session, tenant_id, role_id)
        repo = HrisRepository(session)
        changes, openings = repo.role_changes(tenant_id), repo.openings(tenant_id)
        catalogue = CatalogueCache(lambda: None, ttl=float("inf"))  # read once
        contexts = [load_learner_context(session, tenant_id, p, catalogue)
                    for p in _people_with_evidence_or_goals(session, tenant_id)]
    role = _text(role_id)
    return MobilityReport(
        start, end, role_id, internal_fill_rate(openings, start, end, role),
        time_to_promotion(changes, start, end, role), mobility_velocity(changes, start, end, role),
        tuple(gap_closure(contexts, start, end, role)), tuple(readiness_by_role(contexts, role)),
        tuple(monthly_series(changes, openings, start, end, role)))


def gap_closure(contexts: list[LearnerContext], start: date, end: date,
                role_id: str | None = None) -> list[GapClosure]:
    """Per competency (of the role, or with any observation): mean level at start vs end."""
    until = datetime.combine(end + timedelta(days=1), time(), UTC)
    by_competency: dict[str, dict[str, list[Observation]]] = defaultdict(dict)
    policies: dict[str, LevelPolicy] = {}
    for context in contexts:
        policies.update(context.policies)
        for competency_id, found in observations_for(context.evidence, context.rules).items():
            by_competency[competency_id][str(context.person.id)] = [
                o for o in found if o.observed_at < until]
    wanted = sorted(by_competency, key=int)
    if role_id is not None and contexts:
        wanted = sorted((r.competency_id for r in contexts[0].lattice.role(role_id).requirements),
                        key=int)
    at = datetime.combine(start, time(), UTC)
    return [skills_gap_closure(c, by_competency.get(c, {}), policies.get(c, DEFAULT_POLICY), at)
            for c in wanted]


def readiness_by_role(contexts: list[LearnerContext],
                      role_id: str | None = None) -> list[ReadinessDistribution]:
    """For each role (or one), how ready the people aiming at it are."""
    if not contexts:
        return []
    # a role without requirements has no readiness to report (and cannot be computed)
    roles = [r for r in contexts[0].lattice.roles
             if (role_id is None or r.id == role_id) and r.requirements]
    levels = {c.person.id: learner_levels(c) for c in contexts}
    return [readiness_distribution(role.id, [
        readiness_for(role, levels[c.person.id].levels, levels[c.person.id].evidence_kinds)
        for c in contexts if role.id in c.goals]) for role in roles]


def _people_with_evidence_or_goals(session: Session, tenant_id: int) -> list[int]:
    return PersonRepository(session).with_evidence_or_goals(tenant_id)


def _check_period(start: date, end: date) -> None:
    check_period(start, end)
    if end - start > MAX_PERIOD:
        raise InvalidInput("the period is longer than ten years", {"to": ["at most ten years "
                                                                         "after from"]})


def _check_role(session: Session, tenant_id: int, role_id: int | None) -> None:
    if role_id is not None:
        TenantScope(session, tenant_id).check_role(role_id)


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)
