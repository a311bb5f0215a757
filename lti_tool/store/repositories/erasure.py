"""Erasure that holds: tombstones by a digest of `sub`, and the rows that name a person.

A tombstone keeps SHA-256("careerpath-erased", tenant, sub), never the `sub`: enough to
recognise the same person when a sync or a launch brings them back, and stable across
secret-key rotation. (A digest of a short numeric `sub`, as Moodle sends, can be found by
trying every number: the tombstone hides the `sub` from a casual reader, not from an
attacker holding the database.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from ..models import ErasedSubjectRow, EventRow
from .statements import among, insert_if_absent, pk

BATCH = 500


def subject_digest(tenant_id: int | str, sub: str) -> str:
    """The tombstone key of (tenant, sub)."""
    raw = f"careerpath-erased\x00{pk(tenant_id)}\x00{sub}".encode()
    return hashlib.sha256(raw).hexdigest()


class ErasureRepository:
    """Tombstones of erased people, and the events that still name someone."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def bury(self, tenant_id: int | str, sub: str) -> None:
        insert_if_absent(self.session, ErasedSubjectRow, {
            "tenant_id": pk(tenant_id), "subject_digest": subject_digest(tenant_id, sub)})

    def is_erased(self, tenant_id: int | str, sub: str) -> bool:
        return bool(self.erased_among(tenant_id, [sub]))

    def erased_among(self, tenant_id: int | str, subs: Iterable[str]) -> set[str]:
        """The subs of `subs` whose person was erased from the tenant."""
        by_digest = {subject_digest(tenant_id, s): s for s in subs}
        digests = list(by_digest)
        found: set[str] = set()
        for start in range(0, len(digests), BATCH):
            found.update(by_digest[d] for d in self.session.scalars(
                select(ErasedSubjectRow.subject_digest).where(
                    ErasedSubjectRow.tenant_id == pk(tenant_id),
                    among(self.session, ErasedSubjectRow.subject_digest,
                          digests[start:start + BATCH]))))
        return found

    def exhume(self, tenant_id: int | str, sub: str) -> bool:
        """Remove the tombstone (the person asked for a fresh start); True if there was one."""
        gone = self.session.execute(delete(ErasedSubjectRow).where(
            ErasedSubjectRow.tenant_id == pk(tenant_id),
            ErasedSubjectRow.subject_digest == subject_digest(tenant_id, sub)))
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    def events_naming(self, tenant_id: int | str, person_id: int, sub: str) -> list[EventRow]:
        """The tenant's events whose data names the person (by id or by `sub`)."""
        quoted_sub = json.dumps(sub)
        rows = self.session.scalars(select(EventRow).where(
            EventRow.tenant_id == pk(tenant_id),
            or_(EventRow.data.contains(f'"person_id":{person_id}'),
                EventRow.data.contains(quoted_sub))).order_by(EventRow.created_at))
        return [row for row in rows if _names(row.data, person_id, sub)]

    def scrub_events(self, tenant_id: int | str, person_id: int, sub: str) -> int:
        """Delete the events naming the person, with their webhook deliveries and attempts
        (cascade): nothing about them is sent or kept after erasure. How many."""
        found = self.events_naming(tenant_id, person_id, sub)
        for start in range(0, len(found), BATCH):
            ids = [row.id for row in found[start:start + BATCH]]
            self.session.execute(delete(EventRow).where(EventRow.id.in_(ids)))
        return len(found)


def _names(data: str, person_id: int, sub: str) -> bool:
    try:
        payload = json.loads(data)
    except ValueError:
        return sub in data
    return _mentions(payload, person_id, sub)


def _mentions(value: object, person_id: int, sub: str) -> bool:
    if isinstance(value, dict):
        if value.get("person_id") == person_id or person_id in (value.get("person_ids") or ()):
            return True
        return any(_mentions(v, person_id, sub) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, person_id, sub) for v in value)
    return value == sub
