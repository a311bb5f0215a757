"""Social proof: what the people who moved into a role completed, shown from five people up.

"Moved into" means an HRIS role change into the role that was a promotion or a lateral
move (`MOVE_KINDS`): external hires, and people whose current role was only set without a
recorded move, are not counted. Whether they still hold the role does not matter.

It is an aggregate over the role's movers, the same for every learner who looks at that
role, so a page reads it through `recent_role_peers`: each process recounts a role at most
once a minute (`PEERS_TTL`), not on every readiness page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..cache import MemoryCache
from ..domain.evidence import EvidenceKind
from ..store.database import Database
from ..store.repositories.role_peers import RolePeerRepository

MINIMUM_PEOPLE = 5
PEERS_TTL = 60
COMPLETION_KINDS = (str(EvidenceKind.LMS_COMPLETION), str(EvidenceKind.PROJECT_ACCEPTED))
MOVE_KINDS = ("promotion", "lateral")


@dataclass(frozen=True)
class CompletedModule:
    """A module and how many of the role's people completed it."""

    title: str
    people: int


@dataclass(frozen=True)
class RolePeers:
    """People who moved into `role_id` (promotion or lateral move, from the HRIS), and the
    modules most of them completed."""

    role_id: str
    people: int
    modules: tuple[CompletedModule, ...]


def modules_completed_in_role(database: Database, tenant_id: int | str, role_id: int | str,
                              limit: int = 5) -> RolePeers | None:
    """Modules completed by at least half of the role's people; None below five people."""
    with database.read_session() as session:
        return role_peers(session, tenant_id, role_id, limit)


def recent_role_peers(session: Session, memo: MemoryCache, tenant_id: int | str,
                      role_id: int | str) -> RolePeers | None:
    """`role_peers`, counted at most once per `PEERS_TTL` seconds by this process."""
    key = f"role-peers:{tenant_id}:{role_id}"
    counted = memo.get(key)
    if counted is None:
        counted = (role_peers(session, tenant_id, role_id),)  # a tuple: None is an answer
        memo.set(key, counted, PEERS_TTL)
    return counted[0]


def role_peers(session: Session, tenant_id: int | str, role_id: int | str,
               limit: int = 5) -> RolePeers | None:
    """`modules_completed_in_role` inside the caller's (read-only) unit of work.

    Two aggregate statements: how many people moved into the role, then per module title
    the number of distinct movers with a completion on it (counted by the database).
    """
    repo = RolePeerRepository(session)
    people = repo.movers_count(tenant_id, role_id, MOVE_KINDS)
    if people < MINIMUM_PEOPLE:
        return None
    rows = repo.modules_completed_by_movers(tenant_id, role_id, MOVE_KINDS, COMPLETION_KINDS,
                                            people)
    common = sorted(rows, key=lambda pair: (-pair[1], pair[0]))
    return RolePeers(str(role_id), people,
                     tuple(CompletedModule(title, n) for title, n in common[:limit]))
