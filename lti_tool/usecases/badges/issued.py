"""The Open Badges a tenant has issued: finding them, who holds them, what they say."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ...domain.errors import NotFound
from ...store.database import Database
from ...store.repositories.badges import BadgeRepository, IssuedBadge
from ...store.repositories.people import PersonRepository
from ...store.repositories.tenant_scope import TenantScope


def badge(database: Database, badge_id: str, tenant_id: int | None = None) -> IssuedBadge:
    """The issued badge `badge_id` (NotFound when there is none, or it is not `tenant_id`'s)."""
    with database.session() as session:
        return owned_badge(BadgeRepository(session), badge_id, tenant_id)


def badges_of(database: Database, person_id: int) -> list[IssuedBadge]:
    """Every badge issued to the person, oldest first."""
    with database.session() as session:
        return BadgeRepository(session).for_person(person_id)


def person_badges(database: Database, tenant_id: int, person_id: int) -> list[IssuedBadge]:
    """The badges of one of the tenant's people, oldest first (NotFound for anyone else)."""
    with database.session() as session:
        TenantScope(session, tenant_id).person(person_id)
        return BadgeRepository(session).for_person(person_id)


def tenant_badges(database: Database, tenant_id: int) -> list[tuple[IssuedBadge, str]]:
    """Every badge the tenant issued, newest first, with its holder's name."""
    with database.session() as session:
        found = BadgeRepository(session).for_tenant(tenant_id)
        names = _names(session, {b.person_id for b in found})
    return [(b, names.get(b.person_id, "")) for b in found]


def badge_result(found: IssuedBadge) -> str:
    """The level reached (competency badges) or the readiness (role badges), as words."""
    results = found.credential.get("credentialSubject", {}).get("result", [])
    value = str(results[0].get("value", "")) if results else ""
    if found.kind == "role" and value:
        return f"readiness {value}%"
    return value


def badge_event(found: IssuedBadge) -> dict[str, Any]:
    """The payload of badge.issued / badge.revoked; `url` is the public badge page."""
    return {"badge_id": found.id, "person_id": found.person_id,
            "achievement_name": found.name, "kind": found.kind,
            "url": found.credential["id"]}


def owned_badge(repo: BadgeRepository, badge_id: str, tenant_id: int | None) -> IssuedBadge:
    """The badge `badge_id`; with `tenant_id`, another tenant's badge is NotFound."""
    found = repo.get(badge_id)
    if tenant_id is not None and found.tenant_id != tenant_id:
        raise NotFound(f"badge {badge_id} does not exist")
    return found


def _names(session: Session, person_ids: set[int]) -> dict[int, str]:
    return PersonRepository(session).names_or_subs(person_ids)
