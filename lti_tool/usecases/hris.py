"""HRIS events: role changes, hires and openings pushed through the API or SDK.

A batch is all or nothing: every entry is checked first and one bad entry refuses the
batch (422, the field named `role_changes.2.to_role_id`, ...). Repeating a batch changes
nothing. A role change also moves the person's current role to the role of their latest
change effective today or earlier (None after an exit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..domain.errors import InvalidInput
from ..domain.metrics import ChangeKind
from ..store.database import Database
from ..store.repositories.hris import HrisRepository
from ..store.repositories.people import PersonRepository
from ..store.repositories.tenant_scope import TenantScope


@dataclass(frozen=True)
class RoleChangeInput:
    """A person (by id or `sub`) moves from one role to another on `effective_date`."""

    kind: str
    effective_date: date
    person_id: int | None = None
    sub: str | None = None
    from_role_id: int | None = None
    to_role_id: int | None = None


@dataclass(frozen=True)
class OpeningInput:
    """A vacancy; `opening_id` is the HRIS requisition id (default: role and date)."""

    role_id: int
    opened_on: date
    filled_on: date | None = None
    filled_internally: bool | None = None
    opening_id: str | None = None

    @property
    def key(self) -> str:
        return self.opening_id or f"role-{self.role_id}-{self.opened_on.isoformat()}"


@dataclass(frozen=True)
class HrisBatch:
    role_changes: tuple[RoleChangeInput, ...] = ()
    openings: tuple[OpeningInput, ...] = ()
    hires: tuple[RoleChangeInput, ...] = ()


@dataclass
class HrisReceipt:
    """What a batch changed."""

    role_changes_recorded: int = 0
    role_changes_known: int = 0
    openings_created: int = 0
    openings_updated: int = 0
    people_created: int = 0
    current_roles_updated: int = 0
    person_ids: list[int] = field(default_factory=list)


def record_hris_events(database: Database, tenant_id: int, batch: HrisBatch,
                       today: date | None = None) -> HrisReceipt:
    """Store the batch's role changes, hires and openings in one transaction."""
    changes = [*batch.role_changes, *batch.hires]
    receipt = HrisReceipt()
    with database.session() as session:
        _check(session, tenant_id, batch)
        people = [_person(session, tenant_id, change, receipt) for change in changes]
        repo = HrisRepository(session)
        for person_id, change in zip(people, changes, strict=True):
            from_role = change.from_role_id
            if from_role is None and change.kind != ChangeKind.HIRE:
                from_role = PersonRepository(session).get(person_id).current_role_id
            new = repo.add_role_change(tenant_id, person_id, from_role, change.to_role_id,
                                       change.kind, change.effective_date)
            receipt.role_changes_recorded += new
            receipt.role_changes_known += not new
        for opening in batch.openings:
            created = repo.upsert_opening(tenant_id, opening.key, {
                "role_id": opening.role_id, "opened_on": opening.opened_on,
                "filled_on": opening.filled_on, "filled_internally": opening.filled_internally})
            receipt.openings_created += created
            receipt.openings_updated += not created
        receipt.person_ids = sorted(set(people))
        receipt.current_roles_updated = _move_people(session, receipt.person_ids,
                                                     today or utcnow().date())
    return receipt


def _check(session: Session, tenant_id: int, batch: HrisBatch) -> None:
    """Refuse the batch with every problem named by its field."""
    scope, errors = TenantScope(session, tenant_id), {}
    labelled = [*((f"role_changes.{i}", c) for i, c in enumerate(batch.role_changes)),
                *((f"hires.{i}", c) for i, c in enumerate(batch.hires))]
    for where, change in labelled:
        for name, problem in _change_problems(scope, change):
            errors[f"{where}.{name}"] = [problem]
    for index, opening in enumerate(batch.openings):
        if not scope.has_role(opening.role_id):
            errors[f"openings.{index}.role_id"] = [f"role {opening.role_id} does not exist"]
        if opening.filled_on is not None and opening.filled_on < opening.opened_on:
            errors[f"openings.{index}.filled_on"] = ["must not be before opened_on"]
    if errors:
        raise InvalidInput("the HRIS batch has invalid entries; nothing was stored", errors)


def _change_problems(scope: TenantScope, change: RoleChangeInput) -> list[tuple[str, str]]:
    problems = []
    if (change.person_id is None) == (change.sub is None):
        problems.append(("person_id", "give exactly one of person_id and sub"))
    elif change.person_id is not None and not scope.has_person(change.person_id):
        problems.append(("person_id", f"person {change.person_id} does not exist"))
    if (change.to_role_id is None) != (change.kind == ChangeKind.EXIT):
        problems.append(("to_role_id", "required, except for an exit (where it must be null)"))
    for name in ("from_role_id", "to_role_id"):
        role_id = getattr(change, name)
        if role_id is not None and not scope.has_role(role_id):
            problems.append((name, f"role {role_id} does not exist"))
    return problems


def _person(session: Session, tenant_id: int, change: RoleChangeInput,
            receipt: HrisReceipt) -> int:
    if change.person_id is not None:
        return change.person_id
    people = PersonRepository(session)
    found = people.by_sub(tenant_id, change.sub or "")
    if found is not None:
        return found.id
    receipt.people_created += 1
    return people.upsert_person(tenant_id, change.sub or "").id


def _move_people(session: Session, person_ids: list[int], today: date) -> int:
    """Set each person's current role from their latest effective change; how many moved."""
    repo, people, moved = HrisRepository(session), PersonRepository(session), 0
    for person_id in person_ids:
        known, role_id = repo.role_held(person_id, today)
        if known and people.get(person_id).current_role_id != role_id:
            people.set_current_role(person_id, role_id)
            moved += 1
    return moved
