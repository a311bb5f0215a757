"""Role blueprints and the career lattice, as domain objects."""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound
from lti_tool.domain.roles import (
    CareerLattice,
    Requirement,
    RoleBlueprint,
    Transition,
    TransitionKind,
)

from ..models import RoleRequirementRow, RoleRow, RoleTransitionRow
from .statements import insert_if_absent, pk


def requirement_from_row(row: RoleRequirementRow) -> Requirement:
    return Requirement(competency_id=str(row.competency_id), required_level=row.required_level,
                       weight=row.weight, minimum_level=row.minimum_level)


def blueprint_from_rows(row: RoleRow, requirements: Iterable[RoleRequirementRow]) -> RoleBlueprint:
    return RoleBlueprint(id=str(row.id), name=row.name, threshold=row.threshold,
                         family=row.family,
                         requirements=tuple(requirement_from_row(r) for r in requirements))


class RoleRepository:
    """Roles with their requirements, and the transitions between them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, tenant_id: int | str, name: str, requirements: Iterable[Requirement] = (),
            threshold: float = 0.8, family: str = "", description: str = "") -> RoleBlueprint:
        """Store a role; the blueprint is validated by the domain before anything is written."""
        wanted = tuple(requirements)
        RoleBlueprint(id="new", name=name, requirements=wanted, threshold=threshold,
                      family=family)
        row = RoleRow(tenant_id=pk(tenant_id), name=name, threshold=threshold, family=family,
                      description=description)
        self.session.add(row)
        self.session.flush()
        self.set_requirements(row.id, wanted)
        return self.get(row.id)

    def set_requirements(self, role_id: int | str, requirements: Iterable[Requirement]) -> None:
        """Replace the requirements of a role."""
        self.session.execute(delete(RoleRequirementRow)
                             .where(RoleRequirementRow.role_id == pk(role_id)))
        self.session.add_all(RoleRequirementRow(
            role_id=pk(role_id), competency_id=pk(r.competency_id),
            required_level=r.required_level, weight=r.weight, minimum_level=r.minimum_level,
        ) for r in requirements)
        self.session.flush()

    def get(self, role_id: int | str) -> RoleBlueprint:
        found = self._blueprints(RoleRow.id == pk(role_id))
        if not found:
            raise NotFound(f"role {role_id} does not exist")
        return found[0]

    def by_name(self, tenant_id: int | str, name: str) -> RoleBlueprint | None:
        found = self._blueprints((RoleRow.tenant_id == pk(tenant_id)) & (RoleRow.name == name))
        return found[0] if found else None

    def list(self, tenant_id: int | str) -> list[RoleBlueprint]:
        return self._blueprints(RoleRow.tenant_id == pk(tenant_id))

    def remove_transition(self, from_role_id: int, to_role_id: int) -> bool:
        """Delete one transition of the lattice; whether there was one."""
        gone = self.session.execute(delete(RoleTransitionRow).where(
            RoleTransitionRow.from_role_id == from_role_id,
            RoleTransitionRow.to_role_id == to_role_id))
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    def add_transition(self, transition: Transition) -> None:
        """Join two roles; adding the same pair again changes nothing."""
        insert_if_absent(self.session, RoleTransitionRow, {
            "from_role_id": pk(transition.from_role_id),
            "to_role_id": pk(transition.to_role_id), "kind": str(transition.kind)})

    def lattice(self, tenant_id: int | str) -> CareerLattice:
        """Every role of the tenant and the transitions between them (three statements)."""
        return lattice_for(self.session, tenant_id)

    def _blueprints(self, where: ColumnElement[bool]) -> builtins.list[RoleBlueprint]:
        rows = list(self.session.scalars(select(RoleRow).where(where).order_by(RoleRow.id)))
        return blueprints_from_rows(self.session, rows)


def blueprints_from_rows(session: Session, rows: Sequence[RoleRow]) -> list[RoleBlueprint]:
    """Domain blueprints for `rows`, with one statement for all their requirements."""
    found: dict[int, list[RoleRequirementRow]] = defaultdict(list)
    ids = [row.id for row in rows]
    for r in session.scalars(select(RoleRequirementRow).where(RoleRequirementRow.role_id.in_(ids))
                             .order_by(RoleRequirementRow.id)):
        found[r.role_id].append(r)
    return [blueprint_from_rows(row, found[row.id]) for row in rows]


def lattice_for(session: Session, tenant_id: int | str) -> CareerLattice:
    """The tenant's career lattice in three statements."""
    tenant_roles = select(RoleRow.id).where(RoleRow.tenant_id == pk(tenant_id))
    rows = list(session.scalars(select(RoleRow).where(RoleRow.tenant_id == pk(tenant_id))
                                .order_by(RoleRow.id)))
    transitions = session.scalars(select(RoleTransitionRow).where(
        RoleTransitionRow.from_role_id.in_(tenant_roles)).order_by(RoleTransitionRow.id))
    return CareerLattice(
        roles=tuple(blueprints_from_rows(session, rows)),
        transitions=tuple(Transition(str(t.from_role_id), str(t.to_role_id),
                                     TransitionKind(t.kind)) for t in transitions),
    )
