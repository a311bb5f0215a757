"""Counting the people who moved into a role and the modules they completed (social proof)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from ..models import EvidenceRow, LmsItemRow, RoleChangeRow
from .statements import pk


class RolePeerRepository:
    """Aggregates over HRIS role changes and completion evidence; the database counts."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def movers_count(self, tenant_id: int | str, role_id: int | str,
                     move_kinds: Sequence[str]) -> int:
        """How many distinct people moved into the role by one of `move_kinds`."""
        movers = self._movers(tenant_id, role_id, move_kinds)
        return self.session.scalar(select(func.count()).select_from(movers.subquery())) or 0

    def modules_completed_by_movers(self, tenant_id: int | str, role_id: int | str,
                                    move_kinds: Sequence[str],
                                    completion_kinds: Sequence[str],
                                    at_least_half_of: int) -> list[tuple[str, int]]:
        """Per module title, the distinct movers with a completion on it, for the titles
        at least half of `at_least_half_of` people completed (in no particular order)."""
        movers = self._movers(tenant_id, role_id, move_kinds)
        completed_by = func.count(distinct(EvidenceRow.person_id))
        rows = self.session.execute(
            select(LmsItemRow.title, completed_by)
            .join(EvidenceRow, EvidenceRow.lms_item_id == LmsItemRow.id)
            .where(EvidenceRow.person_id.in_(movers), EvidenceRow.tenant_id == pk(tenant_id),
                   EvidenceRow.kind.in_(completion_kinds))
            .group_by(LmsItemRow.title)
            .having(2 * completed_by >= at_least_half_of)).all()
        return [(str(title), int(n)) for title, n in rows]

    @staticmethod
    def _movers(tenant_id: int | str, role_id: int | str,
                move_kinds: Sequence[str]) -> Select[int]:
        return select(RoleChangeRow.person_id).where(
            RoleChangeRow.tenant_id == pk(tenant_id), RoleChangeRow.to_role_id == pk(role_id),
            RoleChangeRow.kind.in_(move_kinds)).distinct()
