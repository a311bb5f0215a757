"""Aggregates over groups of learners: readiness distribution and skills-gap closure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean, median

from .calculation import Observation
from .levels import LevelPolicy
from .readiness import EPSILON, Readiness
from .roles import RoleBlueprint

BINS = 10


@dataclass(frozen=True)
class ReadinessDistribution:
    """Counts of learners per tenth of readiness (the last bin includes 1.0)."""

    role_id: str
    total: int
    ready: int
    mean: float | None
    median: float | None
    bins: tuple[int, ...]


@dataclass(frozen=True)
class GapClosure:
    """Mean level of a competency before a date and now, over the same learners."""

    competency_id: str
    learners: int
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def readiness_distribution(role_id: str, results: Iterable[Readiness]) -> ReadinessDistribution:
    """How a group's readiness for one role is spread."""
    scores, ready = [], 0
    bins = [0] * BINS
    for result in results:
        scores.append(result.score)
        ready += result.ready
        bins[min(int(result.score * BINS), BINS - 1)] += 1
    return ReadinessDistribution(
        role_id, len(scores), ready,
        mean(scores) if scores else None, median(scores) if scores else None, tuple(bins),
    )


def skills_gap_closure(
    competency_id: str,
    observations_by_learner: Mapping[str, Sequence[Observation]],
    policy: LevelPolicy,
    at: datetime,
) -> GapClosure:
    """Mean level before `at` vs now; a learner without a level counts as 0."""
    before, after = [], []
    for observations in observations_by_learner.values():
        earlier = [o for o in observations if o.observed_at < at]
        before.append(policy.method.calculate(earlier, policy.mastery) or 0.0)
        after.append(policy.method.calculate(observations, policy.mastery) or 0.0)
    if not after:
        return GapClosure(competency_id, 0, None, None)
    return GapClosure(competency_id, len(after), mean(before), mean(after))


@dataclass(frozen=True)
class ReadinessScore:
    """Score and ready flag only: what a whole-population computation needs."""

    learner_id: str
    role_id: str
    score: float
    ready: bool


def readiness_scores(
    roles: Sequence[RoleBlueprint], levels_by_learner: Mapping[str, Mapping[str, float]]
) -> list[ReadinessScore]:
    """Score and ready flag for every (learner, role), the same values `readiness_for` gives.

    The hot loop of cohort reports and the readiness-at-scale benchmark: each role's
    requirements are flattened once, then each learner costs one pass over them.
    """
    compiled = [_compile(role) for role in roles if role.requirements]
    found = []
    for learner_id, levels in levels_by_learner.items():
        for role_id, threshold, total, requirements in compiled:
            covered, gate_failed = 0.0, False
            for competency_id, required, weight, minimum in requirements:
                level = levels.get(competency_id, 0.0)
                covered += weight * min(max(level, 0.0) / required, 1.0)
                if minimum is not None and level < minimum - EPSILON:
                    gate_failed = True
            score = min(max(covered / total, 0.0), 1.0)
            found.append(ReadinessScore(learner_id, role_id, score,
                                        not gate_failed and score >= threshold - EPSILON))
    return found


def _compile(role: RoleBlueprint) -> tuple[str, float, float, list[tuple[str, float, float,
                                                                          float | None]]]:
    requirements = [(r.competency_id, r.required_level, r.weight, r.minimum_level)
                    for r in role.requirements]
    return role.id, role.threshold, role.total_weight, requirements
