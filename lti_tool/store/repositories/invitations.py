"""One-time Dynamic Registration links, looked up by the hash of their token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from ...records import RegistrationInvitation
from ..models import RegistrationInvitationRow
from .statements import pk, table_of


def invitation_record(row: RegistrationInvitationRow) -> RegistrationInvitation:
    return RegistrationInvitation(
        id=row.id, tenant_id=row.tenant_id,
        deployment_ids=tuple(row.deployment_ids.split()), created_by=row.created_by,
        created_at=row.created_at, expires_at=row.expires_at, used_at=row.used_at,
        registration_id=row.registration_id)


class InvitationRepository:
    """Registration invitations in one unit of work."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token_hash: str, tenant_id: int | None, deployment_ids: Sequence[str],
            created_by: str, expires_at: datetime) -> RegistrationInvitation:
        row = RegistrationInvitationRow(
            token_hash=token_hash, tenant_id=tenant_id, deployment_ids=" ".join(deployment_ids),
            created_by=created_by, expires_at=expires_at)
        self.session.add(row)
        self.session.flush()
        return invitation_record(row)

    def by_hash(self, token_hash: str) -> RegistrationInvitation | None:
        row = self.session.scalar(select(RegistrationInvitationRow).where(
            RegistrationInvitationRow.token_hash == token_hash))
        return None if row is None else invitation_record(row)

    def claim(self, invitation_id: int, now: datetime) -> bool:
        """Mark an unused, unexpired invitation used; False when another request won it."""
        table = table_of(RegistrationInvitationRow)
        done = self.session.execute(update(table).where(
            table.c.id == pk(invitation_id), table.c.used_at.is_(None),
            table.c.expires_at > now).values(used_at=now))
        return cast("CursorResult[Any]", done).rowcount == 1

    def release(self, invitation_id: int) -> None:
        """Make a claimed invitation usable again (its registration failed, nothing stored)."""
        table = table_of(RegistrationInvitationRow)
        self.session.execute(update(table).where(
            table.c.id == pk(invitation_id), table.c.registration_id.is_(None)).values(
            used_at=None))

    def link(self, invitation_id: int, registration_id: int) -> None:
        row = self.session.get(RegistrationInvitationRow, pk(invitation_id))
        if row is not None:
            row.registration_id = registration_id
            self.session.flush()

    def list(self, tenant_id: int | None = None) -> list[RegistrationInvitation]:
        query = select(RegistrationInvitationRow).order_by(RegistrationInvitationRow.id)
        if tenant_id is not None:
            query = query.where(RegistrationInvitationRow.tenant_id == pk(tenant_id))
        return [invitation_record(row) for row in self.session.scalars(query)]
