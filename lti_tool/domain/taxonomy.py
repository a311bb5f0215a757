"""Competency frameworks: a tree of competencies with a scale and behavioural anchors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .calculation import CalculationMethod
from .errors import InvalidInput
from .scales import ProficiencyScale


@dataclass(frozen=True)
class Competency:
    """A node of a framework; `id` is stable, `code` is the human coding scheme."""

    id: str
    code: str
    name: str
    description: str = ""
    parent_id: str | None = None
    badge_level: int | None = None


@dataclass(frozen=True)
class BehaviouralAnchor:
    """Observable behaviour that shows `competency_id` at `level`."""

    competency_id: str
    level: int
    text: str


@dataclass(frozen=True)
class Framework:
    """A competency tree with its proficiency scale and level calculation method."""

    id: str
    name: str
    scale: ProficiencyScale
    competencies: tuple[Competency, ...] = ()
    anchors: tuple[BehaviouralAnchor, ...] = ()
    calculation: CalculationMethod = field(default_factory=CalculationMethod.highest)

    def __post_init__(self) -> None:
        validate_tree(self.competencies)
        for anchor in self.anchors:
            self.scale.level(anchor.level)

    def competency(self, competency_id: str) -> Competency:
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise InvalidInput(f"framework {self.name!r} has no competency {competency_id!r}")

    def children(self, competency_id: str | None) -> list[Competency]:
        return [c for c in self.competencies if c.parent_id == competency_id]

    def anchor(self, competency_id: str, level: int) -> BehaviouralAnchor | None:
        for anchor in self.anchors:
            if anchor.competency_id == competency_id and anchor.level == level:
                return anchor
        return None


def validate_tree(competencies: Iterable[Competency]) -> None:
    """Refuse duplicate ids, parents that do not exist and cycles."""
    by_id: dict[str, Competency] = {}
    for competency in competencies:
        if competency.id in by_id:
            raise InvalidInput(f"duplicate competency id {competency.id!r}")
        by_id[competency.id] = competency
    for competency in by_id.values():
        seen = {competency.id}
        parent = competency.parent_id
        while parent is not None:
            if parent not in by_id:
                raise InvalidInput(f"competency {competency.id!r} has unknown parent {parent!r}")
            if parent in seen:
                raise InvalidInput(f"competency {competency.id!r} is part of a cycle")
            seen.add(parent)
            parent = by_id[parent].parent_id
