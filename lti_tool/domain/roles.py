"""Role blueprints and the career lattice that joins them."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from .errors import InvalidInput


@dataclass(frozen=True)
class Requirement:
    """A competency a role needs: level, weight and an optional minimum (a gate)."""

    competency_id: str
    required_level: float
    weight: float = 1.0
    minimum_level: float | None = None

    def __post_init__(self) -> None:
        if self.required_level <= 0:
            raise InvalidInput(f"required level of {self.competency_id!r} must be above 0")
        if self.weight <= 0:
            raise InvalidInput(f"weight of {self.competency_id!r} must be above 0")
        if self.minimum_level is not None and not 0 < self.minimum_level <= self.required_level:
            raise InvalidInput(
                f"minimum level of {self.competency_id!r} must be above 0 and at most "
                "the required level"
            )


@dataclass(frozen=True)
class RoleBlueprint:
    """A role with its required competencies and the overall readiness threshold (0-1)."""

    id: str
    name: str
    requirements: tuple[Requirement, ...]
    threshold: float = 0.8
    family: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise InvalidInput(f"threshold of role {self.name!r} must be in (0, 1]")
        ids = [r.competency_id for r in self.requirements]
        if len(ids) != len(set(ids)):
            raise InvalidInput(f"role {self.name!r} names a competency twice")

    @cached_property
    def total_weight(self) -> float:
        return sum(r.weight for r in self.requirements)


class TransitionKind(StrEnum):
    UPWARD = "upward"
    LATERAL = "lateral"


@dataclass(frozen=True)
class Transition:
    """A move from one role to another in the lattice."""

    from_role_id: str
    to_role_id: str
    kind: TransitionKind = TransitionKind.UPWARD

    def __post_init__(self) -> None:
        if self.from_role_id == self.to_role_id:
            raise InvalidInput("a transition must join two different roles")


@dataclass(frozen=True)
class CareerLattice:
    """Roles joined by upward and lateral transitions."""

    roles: tuple[RoleBlueprint, ...]
    transitions: tuple[Transition, ...] = ()

    def __post_init__(self) -> None:
        known = {role.id for role in self.roles}
        for t in self.transitions:
            if t.from_role_id not in known or t.to_role_id not in known:
                raise InvalidInput(f"transition {t.from_role_id}->{t.to_role_id} names an "
                                   "unknown role")

    def role(self, role_id: str) -> RoleBlueprint:
        role = self._roles_by_id.get(role_id)
        if role is None:
            raise InvalidInput(f"unknown role {role_id!r}")
        return role

    def next_roles(self, role_id: str) -> list[Transition]:
        return list(self._transitions_from.get(role_id, ()))

    def reachable_from(self, role_id: str) -> list[str]:
        """Every role reachable by one or more transitions, nearest first."""
        seen = {role_id}
        order: list[str] = []
        queue = deque([role_id])
        while queue:
            for t in self.next_roles(queue.popleft()):
                if t.to_role_id not in seen:
                    seen.add(t.to_role_id)
                    order.append(t.to_role_id)
                    queue.append(t.to_role_id)
        return order

    @cached_property
    def _roles_by_id(self) -> dict[str, RoleBlueprint]:
        """Each role by id (the first one when an id repeats); the lattice is frozen."""
        by_id: dict[str, RoleBlueprint] = {}
        for role in self.roles:
            by_id.setdefault(role.id, role)
        return by_id

    @cached_property
    def _transitions_from(self) -> dict[str, list[Transition]]:
        """The transitions out of each role, in lattice order."""
        found: dict[str, list[Transition]] = {}
        for t in self.transitions:
            found.setdefault(t.from_role_id, []).append(t)
        return found
