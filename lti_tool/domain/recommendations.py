"""Which modules would close a learner's gaps, ranked by impact ÷ effort."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .calculation import Observation
from .errors import InvalidInput
from .levels import DEFAULT_POLICY, LevelPolicy
from .readiness import Gap, Readiness
from .roles import RoleBlueprint
from .rules import EvidenceRule, ItemOutcome, Shortfall, shortfalls, tried


@dataclass(frozen=True)
class Module:
    """An LMS item a learner can take, with an effort estimate (1 by default)."""

    item_id: str
    title: str
    effort: float = 1.0

    def __post_init__(self) -> None:
        if self.effort <= 0:
            raise InvalidInput(f"effort of module {self.title!r} must be above 0")


class Action(StrEnum):
    """Take a module not tried yet, or improve one tried whose rule is not met yet."""

    TAKE = "take"
    IMPROVE = "improve"


@dataclass(frozen=True)
class Recommendation:
    """Meeting the module's rule would raise `competency_id` from `current` to
    `reaches_level`; `missing` says what the learner still lacks for that rule."""

    competency_id: str
    module: Module
    current: float | None
    reaches_level: float
    closes_gap: bool
    readiness_gain: float
    priority: float
    action: Action = Action.TAKE
    missing: tuple[Shortfall, ...] = ()


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
    outcomes: Mapping[str, ItemOutcome],
    now: datetime,
) -> tuple[GapPlan, ...]:
    """For each gap (in rank order), the modules ranked by readiness gain ÷ effort.

    A module is done for a competency only when the learner's evidence (`outcomes`, per
    item) meets its highest rule for that competency; a module tried without meeting it is
    an "improve" recommendation saying what is missing, ranked with the others.
    """
    by_item = {m.item_id: m for m in modules}
    open_rules = _open_rule_per_item(rules, by_item, outcomes)
    plans = []
    for gap in readiness.gaps:
        found = []
        for rule, missing in open_rules.get(gap.competency_id, ()):
            policy = policies.get(gap.competency_id, DEFAULT_POLICY)
            past = list(observations.get(gap.competency_id, ()))
            after = policy.method.calculate([*past, Observation(rule.level, now)], policy.mastery)
            action = Action.IMPROVE if any(tried(outcomes.get(i)) for i in rule.items()) \
                else Action.TAKE
            recommendation = _recommendation(gap, role, by_item[rule.lms_item_id], after,
                                             action, missing)
            if recommendation is not None:
                found.append(recommendation)
        found.sort(key=lambda r: (-r.priority, r.module.effort, r.module.title))
        plans.append(GapPlan(gap, tuple(found)))
    return tuple(plans)


def _open_rule_per_item(
    rules: Iterable[EvidenceRule], modules: Mapping[str, Module],
    outcomes: Mapping[str, ItemOutcome]
) -> dict[str, list[tuple[EvidenceRule, tuple[Shortfall, ...]]]]:
    """Per competency, each module's highest-level rule the learner has not met yet, with
    what is missing (of equal rules, the one missing least); a met one means done."""
    top: dict[tuple[str, str], list[EvidenceRule]] = {}
    for rule in rules:
        if rule.lms_item_id not in modules:
            continue
        key = (rule.competency_id, rule.lms_item_id)
        if key not in top or top[key][0].level < rule.level:
            top[key] = [rule]
        elif top[key][0].level == rule.level:
            top[key].append(rule)
    grouped: dict[str, list[tuple[EvidenceRule, tuple[Shortfall, ...]]]] = {}
    for (competency_id, _item), candidates in sorted(top.items()):
        missing = [(shortfalls(r.condition, r.lms_item_id, outcomes), r) for r in candidates]
        lacking, rule = min(missing, key=lambda pair: len(pair[0]))
        if lacking:
            grouped.setdefault(competency_id, []).append((rule, lacking))
    return grouped


def _recommendation(
    gap: Gap, role: RoleBlueprint, module: Module, after: float | None, action: Action,
    missing: tuple[Shortfall, ...]
) -> Recommendation | None:
    before = gap.current or 0.0
    if after is None or after <= before:
        return None
    gain = gap.weight * (min(after / gap.required, 1.0) - min(before / gap.required, 1.0))
    gain /= role.total_weight
    return Recommendation(gap.competency_id, module, gap.current, after,
                          after >= gap.required - 1e-9, gain, gain / module.effort, action,
                          missing)
