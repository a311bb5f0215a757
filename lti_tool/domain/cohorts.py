"""Aggregates over groups of learners: readiness distribution and skills-gap closure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import mean, median

from .calculation import Observation
from .levels import LevelPolicy
from .readiness import Readiness

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
