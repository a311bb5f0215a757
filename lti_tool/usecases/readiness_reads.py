"""What the readiness widget reads: the learner's levels and the chosen role's peers, in one
read-only unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cache import MemoryCache
from ..domain.roles import RoleBlueprint
from ..store.catalogue import CatalogueCache
from ..store.database import Database
from .readiness import LearnerLevels, levels_in
from .role_peers import RolePeers, recent_role_peers

Choice = tuple[list[RoleBlueprint], RoleBlueprint | None]


@dataclass(frozen=True)
class ReadinessReads:
    """The learner, the roles offered, the role shown (None: nothing to measure) and its peers."""

    learner: LearnerLevels
    options: list[RoleBlueprint]
    target: RoleBlueprint | None
    peers: RolePeers | None


def readiness_reads(database: Database, catalogue: CatalogueCache, memo: MemoryCache,
                    tenant_id: int, person_id: int,
                    choose: Callable[[LearnerLevels], Choice]) -> ReadinessReads:
    """The person's own levels; `choose` picks the offered roles and the target from them;
    then the target's peers (counted at most once a minute per process)."""
    with database.read_session() as session:
        learner = levels_in(session, tenant_id, person_id, catalogue)
        options, target = choose(learner)
        peers = None if target is None else recent_role_peers(
            session, memo, tenant_id, target.id)
    return ReadinessReads(learner, options, target, peers)
