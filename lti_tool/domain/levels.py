"""From a learner's evidence to one current level per competency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .calculation import CalculationMethod, Observation
from .evidence import Evidence
from .rules import EvidenceRule, outcomes_from_evidence


@dataclass(frozen=True)
class LevelPolicy:
    """How one competency's observations become a level: its framework's method and mastery."""

    method: CalculationMethod
    mastery: float


DEFAULT_POLICY = LevelPolicy(CalculationMethod.highest(), mastery=2)


def observations_for(
    evidence: Iterable[Evidence], rules: Iterable[EvidenceRule]
) -> dict[str, list[Observation]]:
    """Every level observation per competency: fired rules plus direct evidence.

    Per (LMS item, competency) only the highest firing rule counts, so a learner who
    reaches level 3 on a module is not averaged down by that module's level-2 rule.
    """
    evidence = list(evidence)
    outcomes = outcomes_from_evidence(evidence)
    best: dict[tuple[str, str], Observation] = {}
    for rule in rules:
        fired = rule.fires_at(outcomes)
        if fired is None:
            continue
        key = (rule.lms_item_id, rule.competency_id)
        current = best.get(key)
        if current is None or (current.value or 0) < rule.level:
            best[key] = Observation(float(rule.level), fired)
    found: dict[str, list[Observation]] = defaultdict(list)
    for (_item, competency_id), observation in best.items():
        found[competency_id].append(observation)
    for e in evidence:
        if e.competency_id is not None and e.value is not None:
            found[e.competency_id].append(Observation(e.value, e.observed_at))
    return dict(found)


def competency_levels(
    evidence: Iterable[Evidence],
    rules: Iterable[EvidenceRule],
    policies: Mapping[str, LevelPolicy],
) -> dict[str, float]:
    """The current level of each competency that has any usable evidence."""
    levels: dict[str, float] = {}
    for competency_id, observations in observations_for(evidence, rules).items():
        policy = policies.get(competency_id, DEFAULT_POLICY)
        level = policy.method.calculate(observations, policy.mastery)
        if level is not None:
            levels[competency_id] = level
    return levels


def evidence_kinds_by_competency(
    evidence: Iterable[Evidence], rules: Iterable[EvidenceRule]
) -> dict[str, set[str]]:
    """Which kinds of evidence touch each competency (directly or through a rule's items)."""
    items_to_competencies: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        for item in rule.items():
            items_to_competencies[item].add(rule.competency_id)
    kinds: dict[str, set[str]] = defaultdict(set)
    for e in evidence:
        if e.competency_id is not None:
            targets = {e.competency_id}
        else:
            targets = items_to_competencies.get(e.lms_item_id or "", set())
        for competency_id in targets:
            kinds[competency_id].add(str(e.kind))
    return dict(kinds)
