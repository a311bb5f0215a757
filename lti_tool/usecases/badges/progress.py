"""Badges a learner is working towards, before badge issuing exists (locked badges only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ...domain.errors import InvalidInput, NotFound
from ...domain.taxonomy import Competency, Framework
from ...store.database import Database
from ...store.repositories.taxonomy import TaxonomyRepository
from ..readiness import LearnerLevels, ReadinessReport, readiness_report


@dataclass(frozen=True)
class CompetencyBadge:
    """A competency badge awarded at `badge_level`; `reached` once the learner's level is there."""

    competency: Competency
    framework: Framework
    badge_level: int
    current: float | None

    @property
    def reached(self) -> bool:
        return self.current is not None and self.current >= self.badge_level - 1e-9


@dataclass(frozen=True)
class LockedBadges:
    """Next-role readiness badges for the learner's goals and the tenant's competency badges."""

    role_badges: tuple[ReadinessReport, ...]
    competency_badges: tuple[CompetencyBadge, ...]


def badge_levels(database: Database, tenant_id: int | str) -> dict[str, int]:
    """Competency id → the level that earns its badge, for competencies that have one."""
    with database.session() as session:
        return TaxonomyRepository(session).badge_levels_of_tenant(tenant_id)


def locked_badges(database: Database, learner: LearnerLevels, now: datetime) -> LockedBadges:
    """What each badge still needs: goal-role readiness, and competency levels to reach."""
    reports = []
    for role_id in learner.context.goals:
        try:
            reports.append(readiness_report(learner, role_id, now))
        except (NotFound, InvalidInput):
            continue
    badges = []
    for competency_id, level in badge_levels(database, learner.context.person.tenant_id).items():
        competency, framework = learner.competency(competency_id)
        badges.append(CompetencyBadge(competency, framework, level,
                                      learner.levels.get(competency_id)))
    return LockedBadges(tuple(reports), tuple(badges))
