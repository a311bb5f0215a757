"""How close roles are to each other, and which roles a learner should aim for next."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .readiness import Readiness, readiness_for, weighted_coverage
from .roles import CareerLattice, RoleBlueprint


def role_adjacency(current: RoleBlueprint, target: RoleBlueprint) -> float:
    """Share of `target` that someone meeting `current` exactly already has (0-1)."""
    levels = {r.competency_id: r.required_level for r in current.requirements}
    return weighted_coverage(levels, target)


def ranked_next_roles(
    lattice: CareerLattice,
    current_role_id: str | None,
    levels: Mapping[str, float],
) -> list[str]:
    """Ids of every measurable role reachable from the current one (all others when it is
    unknown), most ready first; ties by role name. Only the scores are computed."""
    if current_role_id is None:
        candidates = [role.id for role in lattice.roles]
    else:
        candidates = lattice.reachable_from(current_role_id)
    roles = [role for role in map(lattice.role, candidates) if role.requirements]
    ranked = sorted(roles, key=lambda role: (-weighted_coverage(levels, role), role.name))
    return [role.id for role in ranked]


def best_next_roles(
    lattice: CareerLattice,
    current_role_id: str | None,
    levels: Mapping[str, float],
    evidence_kinds: Mapping[str, Collection[str]] | None = None,
) -> list[Readiness]:
    """Readiness for every role of `ranked_next_roles`, in that order."""
    return [readiness_for(lattice.role(role_id), levels, evidence_kinds)
            for role_id in ranked_next_roles(lattice, current_role_id, levels)]
