"""Erasure that holds (the right to erasure), and a fresh start when the person asks.

Erasing a person deletes their rows, keeps a tombstone of their `sub` so no sync or launch
re-creates them, deletes the events (and so the webhook deliveries) and the LMS Mentors'
links that name them, and drops the cached launch sessions and idempotent-replay bodies
that hold them. A launch by an erased person shows a page saying so; only their
confirmation removes the tombstone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..cache import Cache, noted_keys
from ..store.database import Database
from ..store.repositories.erasure import ErasureRepository
from ..store.repositories.mentor_links import MentorLinkRepository
from ..store.repositories.tenant_scope import TenantScope

INDEX_TTL = 24 * 3600
INDEX_MAX = 500


@dataclass(frozen=True)
class Erased:
    """What one erasure removed besides the person's own rows."""

    events: int
    cached: int


def erase_person(database: Database, tenant_id: int, person_id: int,
                 cache: Cache | None = None) -> Erased:
    """Erase the person with everything that names them; a tombstone stays."""
    with database.session() as session:
        scope = TenantScope(session, tenant_id)
        person = scope.person(person_id)
        erasure = ErasureRepository(session)
        events = erasure.scrub_events(tenant_id, person.id, person.sub)
        erasure.bury(tenant_id, person.sub)
        MentorLinkRepository(session, tenant_id).forget_mentee(person.sub)
        scope.erase_person(person_id)
    cached = 0 if cache is None else forget_person_keys(cache, tenant_id, person_id)
    return Erased(events, cached)


def fresh_start(database: Database, tenant_id: int, sub: str) -> bool:
    """Remove the tombstone of `sub` (the person confirmed); True when there was one."""
    with database.session() as session:
        return ErasureRepository(session).exhume(tenant_id, sub)


def is_erased(database: Database, tenant_id: int, sub: str) -> bool:
    with database.read_session() as session:
        return ErasureRepository(session).is_erased(tenant_id, sub)


def remember_person_key(cache: Cache, tenant_id: int, person_id: int, key: str,
                        ttl: int) -> None:
    """Note that cache entry `key` holds data about the person, so erasure can drop it."""
    cache.note(person_index(tenant_id, person_id), key, INDEX_MAX, max(ttl, INDEX_TTL))


def set_person_entry(cache: Cache, tenant_id: int, person_id: int, key: str, value: Any,
                     ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
    """`cache.set(key, value, ttl)` and note it for erasure, then the values of `read` (one
    round trip with Redis)."""
    return cache.set_and_note(key, value, ttl, person_index(tenant_id, person_id), INDEX_MAX,
                              max(ttl, INDEX_TTL), read)


def forget_person_keys(cache: Cache, tenant_id: int, person_id: int) -> int:
    """Drop every cache entry noted for the person; how many were still there. Also the
    entries noted by an earlier release (one JSON list under an older index name,
    gone a day after its last note)."""
    legacy = cache.pop(f"person-keys:{tenant_id}:{person_id}")
    noted = cache.pop_noted(person_index(tenant_id, person_id))
    dropped = 0
    for key in dict.fromkeys([*noted_keys(legacy), *noted]):
        if cache.pop(key) is not None:
            dropped += 1
    return dropped


def person_index(tenant_id: int, person_id: int) -> str:
    # "person-noted", not the earlier "person-keys": Redis now keeps a sorted set here, and
    # a process of the earlier release still running beside this one (a rolling upgrade)
    # would fail on a key of the other type
    return f"person-noted:{tenant_id}:{person_id}"
