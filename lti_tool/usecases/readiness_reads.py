"""What the readiness widget reads: the learner's levels and the chosen role's peers, in one
read-only unit of work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cache import MemoryCache
from ..domain.people_evidence import ProjectSubmission, SelfRating
from ..domain.roles import RoleBlueprint
from ..store.catalogue import CatalogueCache
from ..store.database import Database
from ..store.repositories.people_evidence import PeopleEvidenceRepository
from .readiness import LearnerLevels, levels_in
from .role_peers import RolePeers, recent_role_peers

Choice = tuple[list[RoleBlueprint], RoleBlueprint | None]


@dataclass(frozen=True)
class ReadinessReads:
    """The learner, the roles offered, the role shown (None: nothing to measure), its peers,
    and the learner's own self-ratings and project submissions (newest first)."""

    learner: LearnerLevels
    options: list[RoleBlueprint]
    target: RoleBlueprint | None
    peers: RolePeers | None
    ratings: dict[str, SelfRating]
    submissions: list[ProjectSubmission]


def readiness_reads(database: Database, catalogue: CatalogueCache, memo: MemoryCache,
                    tenant_id: int, person_id: int,
                    choose: Callable[[LearnerLevels], Choice]) -> ReadinessReads:
    """The person's own levels; `choose` picks the offered roles and the target from them;
    then the target's peers (counted at most once a minute per process) and the learner's
    own ratings and submissions, all in the one unit of work (both tenant-scoped reads of
    the person `levels_in` just found in this tenant)."""
    with database.read_session() as session:
        learner = levels_in(session, tenant_id, person_id, catalogue)
        options, target = choose(learner)
        peers = None if target is None else recent_role_peers(
            session, memo, tenant_id, target.id)
        ratings: dict[str, SelfRating] = {}
        submissions: list[ProjectSubmission] = []
        if target is not None:
            own = PeopleEvidenceRepository(session, tenant_id)
            ratings, submissions = own.self_ratings_of(person_id), own.submissions_of(person_id)
    return ReadinessReads(learner, options, target, peers, ratings, submissions)
