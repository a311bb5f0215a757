"""How close roles are to each other, and which roles a learner should aim for next."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .readiness import Readiness, readiness_for, weighted_coverage
from .roles import CareerLattice, RoleBlueprint


def role_adjacency(current: RoleBlueprint, target: RoleBlueprint) -> float:
    """Share of `target` that someone meeting `current` exactly already has (0-1)."""
    levels = {r.competency_id: r.required_level for r in current.requirements}
    return weighted_coverage(levels, target)


def best_next_roles(
    lattice: CareerLattice,
    current_role_id: str | None,
    levels: Mapping[str, float],
    evidence_kinds: Mapping[str, Collection[str]] | None = None,
) -> list[Readiness]:
    """Every role reachable from the current one (all others when it is unknown), by readiness."""
    if current_role_id is None:
        candidates = [role.id for role in lattice.roles]
    else:
        candidates = lattice.reachable_from(current_role_id)
    roles = [lattice.role(role_id) for role_id in candidates]
    results = [readiness_for(role, levels, evidence_kinds) for role in roles if role.requirements]
    names = {role.id: role.name for role in lattice.roles}
    results.sort(key=lambda r: (-r.score, names[r.role_id]))
    return results
