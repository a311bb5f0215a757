"""Hosts an admin allowed for a platform registration's AGS/NRPS URLs."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...clock import utcnow
from ..models import PlatformServiceHostRow
from .statements import insert_if_absent, pk


class ServiceHostRepository:
    """The extra service hosts of each registration (its issuer's host is always allowed)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def hosts(self, registration_id: int | str) -> list[str]:
        return list(self.session.scalars(
            select(PlatformServiceHostRow.host)
            .where(PlatformServiceHostRow.registration_id == pk(registration_id))
            .order_by(PlatformServiceHostRow.host)))

    def add(self, registration_id: int | str, host: str) -> None:
        insert_if_absent(self.session, PlatformServiceHostRow, {
            "registration_id": pk(registration_id), "host": host, "created_at": utcnow()})

    def remove(self, registration_id: int | str, host: str) -> bool:
        result = self.session.execute(delete(PlatformServiceHostRow).where(
            PlatformServiceHostRow.registration_id == pk(registration_id),
            PlatformServiceHostRow.host == host))
        return bool(getattr(result, "rowcount", 0))
