"""Readiness of a learner for a role: weighted coverage, gates, gaps and a checklist."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .errors import InvalidInput
from .evidence import EvidenceKind
from .roles import RoleBlueprint

EPSILON = 1e-9


class EvidenceStep(StrEnum):
    """The three-step validation: learning, then an applied project, then an endorsement."""

    LEARNING = "learning"
    APPLIED_PROJECT = "applied_project"
    MANAGER_ENDORSEMENT = "manager_endorsement"


STEP_KINDS: dict[EvidenceStep, frozenset[str]] = {
    EvidenceStep.LEARNING: frozenset({EvidenceKind.LMS_COMPLETION, EvidenceKind.LMS_SCORE,
                                      EvidenceKind.CERTIFICATION, EvidenceKind.EXTERNAL}),
    EvidenceStep.APPLIED_PROJECT: frozenset({EvidenceKind.PROJECT_ACCEPTED,
                                             EvidenceKind.PEER_REVIEW}),
    EvidenceStep.MANAGER_ENDORSEMENT: frozenset({EvidenceKind.MANAGER_ENDORSEMENT}),
}


@dataclass(frozen=True)
class Gap:
    """A requirement not yet met; `impact` = weight × shortfall ranks the gaps."""

    competency_id: str
    current: float | None
    required: float
    weight: float
    shortfall: float
    impact: float
    readiness_gain: float


@dataclass(frozen=True)
class FailingGate:
    """A gate that keeps the learner from being ready: a minimum level or the threshold."""

    kind: str
    required: float
    actual: float
    competency_id: str | None = None


@dataclass(frozen=True)
class ChecklistItem:
    """Evidence still missing for one gap, in the order of the three-step validation."""

    competency_id: str
    required_level: float
    current: float | None
    missing_steps: tuple[EvidenceStep, ...]


@dataclass(frozen=True)
class Readiness:
    """How ready one learner is for one role."""

    role_id: str
    score: float
    ready: bool
    threshold: float
    failing_gates: tuple[FailingGate, ...]
    gaps: tuple[Gap, ...]
    checklist: tuple[ChecklistItem, ...]


def weighted_coverage(levels: Mapping[str, float], role: RoleBlueprint) -> float:
    """Σ w·min(level/required, 1) / Σ w, a missing level counting as 0."""
    if not role.requirements:
        raise InvalidInput(f"role {role.name!r} has no requirements to be ready for")
    covered = sum(
        r.weight * min(max(levels.get(r.competency_id, 0.0), 0.0) / r.required_level, 1.0)
        for r in role.requirements
    )
    return min(max(covered / role.total_weight, 0.0), 1.0)


def readiness_for(
    role: RoleBlueprint,
    levels: Mapping[str, float],
    evidence_kinds: Mapping[str, Collection[str]] | None = None,
) -> Readiness:
    """Score, gates, ranked gaps and the missing-evidence checklist for `role`."""
    score = weighted_coverage(levels, role)
    gates = _failing_minimums(role, levels)
    if score < role.threshold - EPSILON:
        gates.append(FailingGate("threshold", role.threshold, score))
    gaps = _gaps(role, levels)
    kinds = evidence_kinds or {}
    checklist = tuple(
        ChecklistItem(g.competency_id, g.required, g.current,
                      _missing_steps(kinds.get(g.competency_id, ())))
        for g in gaps
    )
    return Readiness(role.id, score, not gates, role.threshold, tuple(gates), gaps, checklist)


def _failing_minimums(role: RoleBlueprint, levels: Mapping[str, float]) -> list[FailingGate]:
    gates = []
    for r in role.requirements:
        actual = levels.get(r.competency_id, 0.0)
        if r.minimum_level is not None and actual < r.minimum_level - EPSILON:
            gates.append(FailingGate("minimum_level", r.minimum_level, actual, r.competency_id))
    return gates


def _gaps(role: RoleBlueprint, levels: Mapping[str, float]) -> tuple[Gap, ...]:
    gaps = []
    for r in role.requirements:
        current = levels.get(r.competency_id)
        shortfall = r.required_level - (current or 0.0)
        if shortfall <= EPSILON:
            continue
        gain = r.weight * min(shortfall / r.required_level, 1.0) / role.total_weight
        gaps.append(Gap(r.competency_id, current, r.required_level, r.weight, shortfall,
                        r.weight * shortfall, gain))
    # rank on impact as a share of the total weight, rounded, so that float noise cannot
    # reorder equal impacts (weights 0.3/0.2 must rank like 30/20)
    gaps.sort(key=lambda g: (-round(g.impact / role.total_weight, 9), g.competency_id))
    return tuple(gaps)


def _missing_steps(kinds: Collection[str]) -> tuple[EvidenceStep, ...]:
    return tuple(step for step, accepted in STEP_KINDS.items() if accepted.isdisjoint(kinds))
