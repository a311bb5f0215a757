"""Social proof: what the people already in a role completed, shown only from five people up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.evidence import EvidenceKind
from ..store.database import Database
from ..store.models import EvidenceRow, LmsItemRow, PersonRow
from ..store.repositories.statements import pk

MINIMUM_PEOPLE = 5
COMPLETION_KINDS = (str(EvidenceKind.LMS_COMPLETION), str(EvidenceKind.PROJECT_ACCEPTED))


@dataclass(frozen=True)
class CompletedModule:
    """A module and how many of the role's people completed it."""

    title: str
    people: int


@dataclass(frozen=True)
class RolePeers:
    """People whose current role is `role_id`, and the modules most of them completed."""

    role_id: str
    people: int
    modules: tuple[CompletedModule, ...]


def modules_completed_in_role(database: Database, tenant_id: int | str, role_id: int | str,
                              limit: int = 5) -> RolePeers | None:
    """Modules completed by at least half of the role's people; None below five people."""
    with database.read_session() as session:
        return role_peers(session, tenant_id, role_id, limit)


def role_peers(session: Session, tenant_id: int | str, role_id: int | str,
               limit: int = 5) -> RolePeers | None:
    """`modules_completed_in_role` inside the caller's (read-only) unit of work."""
    people = list(session.scalars(select(PersonRow.id).where(
        PersonRow.tenant_id == pk(tenant_id), PersonRow.current_role_id == pk(role_id))))
    if len(people) < MINIMUM_PEOPLE:
        return None
    rows = session.execute(
        select(EvidenceRow.person_id, LmsItemRow.title)
        .join(LmsItemRow, LmsItemRow.id == EvidenceRow.lms_item_id)
        .where(EvidenceRow.tenant_id == pk(tenant_id), EvidenceRow.person_id.in_(people),
               EvidenceRow.kind.in_(COMPLETION_KINDS))).all()
    counts = Counter(title for _person, title in {(p, t) for p, t in rows})
    common = sorted(((title, n) for title, n in counts.items() if 2 * n >= len(people)),
                    key=lambda pair: (-pair[1], pair[0]))
    return RolePeers(str(role_id), len(people),
                     tuple(CompletedModule(title, n) for title, n in common[:limit]))
