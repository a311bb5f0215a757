"""HRIS facts of a tenant: role changes and openings, stored idempotently."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.domain.metrics import ChangeKind, Opening, RoleChange

from ..models import RoleChangeRow, RoleOpeningRow
from .statements import insert_if_absent, pk


def _text(value: int | None) -> str | None:
    return None if value is None else str(value)


class HrisRepository:
    """Role changes (one per person, date and kind) and openings (one per requisition id)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_role_change(self, tenant_id: int, person_id: int, from_role_id: int | None,
                        to_role_id: int | None, kind: str, effective_date: date) -> bool:
        """Record a change; False when the same (person, date, kind) was already known."""
        return insert_if_absent(self.session, RoleChangeRow, {
            "tenant_id": pk(tenant_id), "person_id": pk(person_id),
            "from_role_id": from_role_id, "to_role_id": to_role_id, "kind": kind,
            "effective_date": effective_date})

    def role_held(self, person_id: int, on: date) -> tuple[bool, int | None]:
        """(known, role) from the person's latest change effective on or before `on`."""
        row = self.session.scalars(select(RoleChangeRow).where(
            RoleChangeRow.person_id == pk(person_id), RoleChangeRow.effective_date <= on)
            .order_by(RoleChangeRow.effective_date.desc(), RoleChangeRow.id.desc())
            .limit(1)).first()
        return (False, None) if row is None else (True, row.to_role_id)

    def upsert_opening(self, tenant_id: int, external_id: str, values: dict[str, Any]) -> bool:
        """Create or update the opening with `external_id`; True when created."""
        row = self.session.scalars(select(RoleOpeningRow).where(
            RoleOpeningRow.tenant_id == pk(tenant_id),
            RoleOpeningRow.external_id == external_id)).first()
        if row is None:
            self.session.add(RoleOpeningRow(tenant_id=pk(tenant_id), external_id=external_id,
                                            **values))
            self.session.flush()
            return True
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()
        return False

    def role_changes(self, tenant_id: int) -> list[RoleChange]:
        rows = self.session.scalars(select(RoleChangeRow).where(
            RoleChangeRow.tenant_id == pk(tenant_id)).order_by(RoleChangeRow.id))
        return [RoleChange(str(r.person_id), _text(r.from_role_id), _text(r.to_role_id),
                           ChangeKind(r.kind), r.effective_date) for r in rows]

    def openings(self, tenant_id: int) -> list[Opening]:
        rows = self.session.scalars(select(RoleOpeningRow).where(
            RoleOpeningRow.tenant_id == pk(tenant_id)).order_by(RoleOpeningRow.id))
        return [Opening(str(r.role_id), r.opened_on, r.filled_on, r.filled_internally)
                for r in rows]

    def has_role_change(self, person_id: int) -> bool:
        """Whether the HRIS recorded any role change of the person."""
        changed = self.session.scalar(select(RoleChangeRow.id).where(
            RoleChangeRow.person_id == person_id).limit(1))
        return changed is not None
