"""Evidence rules: declarative conditions on LMS items that award a competency level."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Union

from .errors import InvalidInput
from .evidence import Evidence, EvidenceKind


@dataclass(frozen=True)
class Completed:
    """The item was completed (in AGS terms: a graded result exists). None: the rule's item."""

    item_id: str | None = None


@dataclass(frozen=True)
class ScoreAtLeast:
    """The item's best score is at least `percent` % of its maximum."""

    percent: float
    item_id: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.percent <= 100:
            raise InvalidInput("a score threshold is a percentage between 0 and 100")


@dataclass(frozen=True)
class Accepted:
    """An applied project for the item was accepted."""

    item_id: str | None = None


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


Condition = Union[Completed, ScoreAtLeast, Accepted, AllOf, AnyOf]  # noqa: UP007


@dataclass(frozen=True)
class ItemOutcome:
    """What one learner did on one LMS item."""

    item_id: str
    completed_at: datetime | None = None
    best_score: float | None = None
    scored_at: datetime | None = None
    accepted_at: datetime | None = None


@dataclass(frozen=True)
class EvidenceRule:
    """When `condition` holds on `lms_item_id` (and items it names), award `level`."""

    id: str
    lms_item_id: str
    competency_id: str
    level: int
    condition: Condition

    def __post_init__(self) -> None:
        if self.level < 1:
            raise InvalidInput("a rule awards a level of at least 1")

    def fires_at(self, outcomes: Mapping[str, ItemOutcome]) -> datetime | None:
        """When the condition became true (the latest evidence it uses), or None."""
        return _holds(self.condition, self.lms_item_id, outcomes)

    def items(self) -> set[str]:
        """Every LMS item the rule looks at."""
        return _items(self.condition, self.lms_item_id)


def _holds(cond: Condition, own: str, outcomes: Mapping[str, ItemOutcome]) -> datetime | None:
    if isinstance(cond, AllOf | AnyOf):
        times = [_holds(c, own, outcomes) for c in cond.conditions]
        if isinstance(cond, AllOf):
            return None if not times or None in times else max(t for t in times if t)
        found = [t for t in times if t is not None]
        return min(found) if found else None
    outcome = outcomes.get(cond.item_id or own)
    if outcome is None:
        return None
    if isinstance(cond, Completed):
        return outcome.completed_at
    if isinstance(cond, Accepted):
        return outcome.accepted_at
    if outcome.best_score is not None and outcome.best_score * 100 >= cond.percent - 1e-9:
        return outcome.scored_at
    return None


@dataclass(frozen=True)
class Shortfall:
    """One unmet part of a rule: what it `needs` on `item_id`.

    `needs` is "completion", "score" or "acceptance"; for a score, `required` and `actual`
    are percentages (`actual` None: no score yet).
    """

    needs: str
    item_id: str
    required: float | None = None
    actual: float | None = None


def shortfalls(cond: Condition, own: str, outcomes: Mapping[str, ItemOutcome]
               ) -> tuple[Shortfall, ...]:
    """What a learner still lacks for `cond` (empty when it holds); for "any of", the
    alternative that lacks the fewest parts."""
    if isinstance(cond, AllOf):
        return tuple(s for c in cond.conditions for s in shortfalls(c, own, outcomes))
    if isinstance(cond, AnyOf):
        options = [shortfalls(c, own, outcomes) for c in cond.conditions]
        return min(options, key=len) if options else ()
    item = cond.item_id or own
    if _holds(cond, own, outcomes) is not None:
        return ()
    if isinstance(cond, Completed):
        return (Shortfall("completion", item),)
    if isinstance(cond, Accepted):
        return (Shortfall("acceptance", item),)
    best = outcomes[item].best_score if item in outcomes else None
    return (Shortfall("score", item, cond.percent,
                      None if best is None else round(best * 100, 2)),)


def tried(outcome: ItemOutcome | None) -> bool:
    """Whether the learner has any evidence on the item (completed, scored or accepted)."""
    return outcome is not None and (outcome.completed_at is not None or outcome.best_score
                                    is not None or outcome.accepted_at is not None)


def _items(cond: Condition, own: str) -> set[str]:
    if isinstance(cond, AllOf | AnyOf):
        return set().union(*(_items(c, own) for c in cond.conditions))
    return {cond.item_id or own}


def outcomes_from_evidence(evidence: Iterable[Evidence]) -> dict[str, ItemOutcome]:
    """Fold a learner's LMS evidence into one outcome per item (best score, first times)."""
    found: dict[str, dict[str, Any]] = {}
    for e in evidence:
        if e.lms_item_id is None:
            continue
        slot = found.setdefault(e.lms_item_id, {"item_id": e.lms_item_id})
        if e.kind == EvidenceKind.LMS_COMPLETION:
            _earliest(slot, "completed_at", e.observed_at)
        elif e.kind == EvidenceKind.PROJECT_ACCEPTED:
            _earliest(slot, "accepted_at", e.observed_at)
        elif e.kind == EvidenceKind.LMS_SCORE and e.value is not None:
            if slot.get("best_score") is None or e.value > slot["best_score"]:
                slot["best_score"], slot["scored_at"] = e.value, e.observed_at
    return {item: ItemOutcome(**slot) for item, slot in found.items()}


def _earliest(slot: dict[str, Any], key: str, when: datetime) -> None:
    if slot.get(key) is None or when < slot[key]:
        slot[key] = when


def condition_to_dict(cond: Condition) -> dict[str, Any]:
    """A JSON-ready form, as stored and as the API shows it."""
    if isinstance(cond, AllOf | AnyOf):
        op = "all" if isinstance(cond, AllOf) else "any"
        return {op: [condition_to_dict(c) for c in cond.conditions]}
    if isinstance(cond, ScoreAtLeast):
        out: dict[str, Any] = {"type": "score_at_least", "percent": cond.percent}
    else:
        out = {"type": "completed" if isinstance(cond, Completed) else "accepted"}
    if cond.item_id is not None:
        out["item_id"] = cond.item_id
    return out


def condition_from_dict(data: Mapping[str, Any]) -> Condition:
    """Read the form `condition_to_dict` writes; InvalidInput on anything else."""
    if not isinstance(data, Mapping):
        raise InvalidInput("a condition is an object")
    for op, cls in (("all", AllOf), ("any", AnyOf)):
        if op in data:
            parts = data[op]
            if not isinstance(parts, list) or not parts:
                raise InvalidInput(f"'{op}' takes a non-empty list of conditions")
            return cls(tuple(condition_from_dict(p) for p in parts))
    kind, item = data.get("type"), data.get("item_id")
    if item is not None and not isinstance(item, str):
        raise InvalidInput("item_id is a string")
    if kind == "completed":
        return Completed(item)
    if kind == "accepted":
        return Accepted(item)
    if kind == "score_at_least":
        percent = data.get("percent")
        if not isinstance(percent, int | float) or isinstance(percent, bool):
            raise InvalidInput("score_at_least needs a numeric percent")
        return ScoreAtLeast(float(percent), item)
    raise InvalidInput(f"unknown condition type {kind!r}")
