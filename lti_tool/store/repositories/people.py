"""People (learners and staff) and the career goals they declare."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from lti_tool.domain.errors import InvalidInput, NotFound, PersonErased

from ...records import Person
from ..models import EvidenceRow, GoalRow, MembershipRow, PersonRow
from .erasure import ErasureRepository
from .statements import find_or_insert, insert_if_absent, pk

CLAIMS = ("name", "given_name", "family_name", "email", "locale")


# a Person's fields as columns, in the record's order: a read of many people (a course's
# members) selects these and builds each record from its row, no ORM object on the way
PERSON_COLUMNS = tuple(getattr(PersonRow, name) for name in Person.__dataclass_fields__)


def person_record(row: PersonRow) -> Person:
    return Person(id=row.id, tenant_id=row.tenant_id, sub=row.sub, name=row.name,
                  given_name=row.given_name, family_name=row.family_name, email=row.email,
                  locale=row.locale, current_role_id=row.current_role_id,
                  created_at=row.created_at)


def _given_claims(claims: dict[str, Any]) -> dict[str, str]:
    unknown = set(claims) - set(CLAIMS)
    if unknown:
        raise InvalidInput(f"unknown person claims: {sorted(unknown)}")
    return {k: str(v) for k, v in claims.items() if v is not None}


class PersonRepository:
    """People keyed by (tenant, sub), and their goals."""

    def __init__(self, session: Session) -> None:
        self.session = session


    def of_tenant(self, tenant_id: int, person_ids: Iterable[int]) -> list[Person]:
        """Those of `person_ids` who are the tenant's people."""
        rows = self.session.scalars(select(PersonRow).where(
            PersonRow.id.in_(person_ids), PersonRow.tenant_id == tenant_id))
        return [person_record(row) for row in rows]

    def upsert_person(self, tenant_id: int | str, sub: str, **claims: Any) -> Person:
        """The person with `sub`, created on first launch; given claims that changed are saved.

        Claims are name, given_name, family_name, email and locale; a claim given as None
        (absent from the launch) leaves the stored value alone.
        """
        given = _given_claims(claims)
        if self.by_sub(tenant_id, sub) is None and ErasureRepository(self.session).is_erased(
                tenant_id, sub):
            raise PersonErased("this person's data was erased; they were not re-created")
        row = find_or_insert(self.session, PersonRow, select(PersonRow).where(
            PersonRow.tenant_id == pk(tenant_id), PersonRow.sub == sub),
            {"tenant_id": pk(tenant_id), "sub": sub, **{k: "" for k in CLAIMS}, **given},
            people=())  # a new person: nobody has seen their data yet
        if any(getattr(row, k) != v for k, v in given.items()):
            for name, value in given.items():
                setattr(row, name, value)
            self.session.flush()
        return person_record(row)

    def get(self, person_id: int | str) -> Person:
        row = self.session.get(PersonRow, pk(person_id))
        if row is None:
            raise NotFound(f"person {person_id} does not exist")
        return person_record(row)

    def by_sub(self, tenant_id: int | str, sub: str) -> Person | None:
        row = self.session.scalar(select(PersonRow).where(
            PersonRow.tenant_id == pk(tenant_id), PersonRow.sub == sub))
        return None if row is None else person_record(row)

    def by_subs(self, tenant_id: int | str, subs: Iterable[str]) -> list[Person]:
        """The tenant's people among these `sub`s (those never seen are not there)."""
        rows = self.session.scalars(select(PersonRow).where(
            PersonRow.tenant_id == pk(tenant_id), PersonRow.sub.in_(list(subs))))
        return [person_record(row) for row in rows]

    def set_current_role(self, person_id: int | str, role_id: int | str | None) -> Person:
        row = self.session.get(PersonRow, pk(person_id))
        if row is None:
            raise NotFound(f"person {person_id} does not exist")
        row.current_role_id = None if role_id is None else pk(role_id)
        self.session.flush()
        return person_record(row)

    def add_goal(self, person_id: int | str, role_id: int | str) -> None:
        """Declare a target role; declaring it again changes nothing."""
        insert_if_absent(self.session, GoalRow, {"person_id": pk(person_id),
                                                 "role_id": pk(role_id)})

    def remove_goal(self, person_id: int | str, role_id: int | str) -> None:
        self.session.execute(delete(GoalRow).where(GoalRow.person_id == pk(person_id),
                                                   GoalRow.role_id == pk(role_id)))

    def goals(self, person_id: int | str) -> list[str]:
        """The declared target roles' ids, oldest first."""
        ids = self.session.scalars(select(GoalRow.role_id).where(
            GoalRow.person_id == pk(person_id)).order_by(GoalRow.created_at, GoalRow.role_id))
        return [str(i) for i in ids]

    def names_or_subs(self, person_ids: set[int]) -> dict[int, str]:
        """Person id → the LMS name, else the platform's id (`sub`)."""
        if not person_ids:
            return {}
        rows = self.session.execute(select(PersonRow.id, PersonRow.name, PersonRow.sub)
                                    .where(PersonRow.id.in_(person_ids))).all()
        return {int(pid): name or sub for pid, name, sub in rows}

    def with_goals(self, tenant_id: int, person_ids: Iterable[int]) -> set[int]:
        """Those of the tenant's `person_ids` who have at least one goal."""
        return set(self.session.scalars(
            select(GoalRow.person_id).join(PersonRow, PersonRow.id == GoalRow.person_id)
            .where(PersonRow.tenant_id == tenant_id, GoalRow.person_id.in_(person_ids))))

    def with_evidence_or_goals(self, tenant_id: int) -> list[int]:
        """The tenant's people with any evidence or any goal, by id."""
        found = union(
            select(EvidenceRow.person_id).where(EvidenceRow.tenant_id == tenant_id),
            select(GoalRow.person_id).join(PersonRow, PersonRow.id == GoalRow.person_id)
            .where(PersonRow.tenant_id == tenant_id))
        return sorted(self.session.scalars(select(found.subquery().c[0])))

    def active_membership_roles(self, person_id: int | str) -> list[tuple[int, str]]:
        """(course id, the membership's roles as stored) for each of the person's active
        memberships."""
        rows = self.session.execute(select(MembershipRow.course_id, MembershipRow.roles).where(
            MembershipRow.person_id == pk(person_id), MembershipRow.status == "Active"))
        return [(int(course), str(roles)) for course, roles in rows]
