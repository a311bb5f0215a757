"""Which modules would close a learner's gaps, ranked by impact ÷ effort."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .calculation import Observation
from .errors import InvalidInput
from .levels import DEFAULT_POLICY, LevelPolicy
from .readiness import Gap, Readiness
from .roles import RoleBlueprint
from .rules import EvidenceRule


@dataclass(frozen=True)
class Module:
    """An LMS item a learner can take, with an effort estimate (1 by default)."""

    item_id: str
    title: str
    effort: float = 1.0

    def __post_init__(self) -> None:
        if self.effort <= 0:
            raise InvalidInput(f"effort of module {self.title!r} must be above 0")


@dataclass(frozen=True)
class Recommendation:
    """Taking `module` would raise `competency_id` from `current` to `reaches_level`."""

    competency_id: str
    module: Module
    current: float | None
    reaches_level: float
    closes_gap: bool
    readiness_gain: float
    priority: float


@dataclass(frozen=True)
class GapPlan:
    """One gap with the modules that would close or narrow it, best first."""

    gap: Gap
    recommendations: tuple[Recommendation, ...]


def recommend(
    readiness: Readiness,
    role: RoleBlueprint,
    rules: Iterable[EvidenceRule],
    modules: Iterable[Module],
    observations: Mapping[str, Sequence[Observation]],
    policies: Mapping[str, LevelPolicy],
    completed_items: Collection[str],
    now: datetime,
) -> tuple[GapPlan, ...]:
    """For each gap (in rank order), the modules ranked by readiness gain ÷ effort."""
    by_item = {m.item_id: m for m in modules}
    best_rule = _best_rule_per_item(rules, by_item, completed_items)
    plans = []
    for gap in readiness.gaps:
        found = []
        for rule in best_rule.get(gap.competency_id, ()):
            policy = policies.get(gap.competency_id, DEFAULT_POLICY)
            past = list(observations.get(gap.competency_id, ()))
            after = policy.method.calculate([*past, Observation(rule.level, now)], policy.mastery)
            recommendation = _recommendation(gap, role, by_item[rule.lms_item_id], after)
            if recommendation is not None:
                found.append(recommendation)
        found.sort(key=lambda r: (-r.priority, r.module.effort, r.module.title))
        plans.append(GapPlan(gap, tuple(found)))
    return tuple(plans)


def _best_rule_per_item(
    rules: Iterable[EvidenceRule], modules: Mapping[str, Module], completed: Collection[str]
) -> dict[str, list[EvidenceRule]]:
    best: dict[tuple[str, str], EvidenceRule] = {}
    for rule in rules:
        if rule.lms_item_id in completed or rule.lms_item_id not in modules:
            continue
        key = (rule.competency_id, rule.lms_item_id)
        if key not in best or best[key].level < rule.level:
            best[key] = rule
    grouped: dict[str, list[EvidenceRule]] = {}
    for (competency_id, _item), rule in sorted(best.items()):
        grouped.setdefault(competency_id, []).append(rule)
    return grouped


def _recommendation(
    gap: Gap, role: RoleBlueprint, module: Module, after: float | None
) -> Recommendation | None:
    before = gap.current or 0.0
    if after is None or after <= before:
        return None
    gain = gap.weight * (min(after / gap.required, 1.0) - min(before / gap.required, 1.0))
    gain /= role.total_weight
    return Recommendation(gap.competency_id, module, gap.current, after,
                          after >= gap.required - 1e-9, gain, gain / module.effort)
