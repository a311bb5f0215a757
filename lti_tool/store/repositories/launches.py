"""A repeat launch, read in one statement: would recording it change any row?

Most launches repeat one already recorded (same person, course, roles and services). The
launch use case asks here first, in one statement outside any unit of work
(`PreparedRead.alone`); only when something would change does it open a writing one (the
upserts of the other repositories). One
joined SELECT, built once, replaces the six lookups the upserts would make. It selects
plain columns as a prepared read (store.prepared_reads), and the records are built from
them by position: ORM objects for six tables cost more than the statement itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, and_, bindparam, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ...records import Course, Person, PlatformRegistration
from ..database import Database
from ..models import (
    CourseRow,
    CourseServicesRow,
    DeploymentRow,
    MembershipRow,
    PersonRow,
    PlatformRegistrationRow,
)
from ..prepared_reads import PreparedRead
from .statements import pk, record_columns, table_of
from .sync import service_changes

_Registration, _Person, _Course = PlatformRegistrationRow, PersonRow, CourseRow
_PARTS: dict[str, tuple[Column[Any], ...]] = {
    "registration": record_columns(_Registration, PlatformRegistration),
    "deployment": (table_of(DeploymentRow).c.id, table_of(DeploymentRow).c.enabled),
    "person": record_columns(_Person, Person),
    "course": record_columns(_Course, Course),
    "membership": tuple(table_of(MembershipRow).c[n] for n in ("id", "roles", "status")),
    "services": tuple(table_of(CourseServicesRow).c[n] for n in (
        "course_id", "memberships_url", "lineitems_url", "ags_scopes")),
}
# the registration, and beside it whatever of the launch's rows already exist
LAUNCH_ROWS = PreparedRead(
    select(*(column for part in _PARTS.values() for column in part))
    .select_from(_Registration)
    .outerjoin(DeploymentRow, and_(DeploymentRow.registration_id == _Registration.id,
                                   DeploymentRow.deployment_id == bindparam("deployment_id")))
    .outerjoin(_Person, and_(_Person.tenant_id == _Registration.tenant_id,
                             _Person.sub == bindparam("sub")))
    .outerjoin(_Course, and_(_Course.tenant_id == _Registration.tenant_id,
                             _Course.registration_id == _Registration.id,
                             _Course.context_id == bindparam("context_id")))
    .outerjoin(MembershipRow, and_(MembershipRow.course_id == _Course.id,
                                   MembershipRow.person_id == _Person.id))
    .outerjoin(CourseServicesRow, CourseServicesRow.course_id == _Course.id)
    .where(_Registration.id == bindparam("registration_id"))
)


@dataclass(frozen=True)
class _Endpoints:
    """The service endpoints recorded for the course (what `service_changes` compares)."""

    memberships_url: str
    lineitems_url: str
    ags_scopes: str


def _cut(row: Sequence[Any]) -> dict[str, tuple[Any, ...] | None]:
    """The statement's row as one tuple per part; None for a part the outer join missed
    (its first column, a primary key, is NULL)."""
    parts, at = {}, 0
    for name, columns in _PARTS.items():
        values = tuple(row[at:at + len(columns)])
        parts[name] = None if values[0] is None else values
        at += len(columns)
    return parts


@dataclass(frozen=True)
class LaunchFacts:
    """What a launch records: the deployment, the person's claims, the course, services."""

    deployment_id: str
    sub: str
    person: Mapping[str, str]
    roles: tuple[str, ...]
    context_id: str
    course_title: str
    course_label: str
    memberships_url: str
    lineitems_url: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class RecordedLaunch:
    """The registration and, when recording would change nothing, the rows it would give."""

    registration: PlatformRegistration
    unchanged: tuple[Person, Course | None] | None


def recorded_launch(source: Session | Database, registration_id: int | str,
                    facts: LaunchFacts) -> RecordedLaunch:
    """The registration, and the person and course if recording `facts` would change no
    row (an enabled deployment, the same claims, title, label, roles and services); read in
    the session's transaction, or by the one statement alone when given the database."""
    params = {"registration_id": pk(registration_id), "deployment_id": facts.deployment_id,
              "sub": facts.sub, "context_id": facts.context_id}
    rows = (LAUNCH_ROWS.alone(source.engine, params) if isinstance(source, Database)
            else LAUNCH_ROWS.all(source, params))
    found = rows[0] if rows else None
    if found is None:
        raise NotFound(f"registration {registration_id} does not exist")
    parts = _cut(found)
    registration = PlatformRegistration(*parts["registration"])  # type: ignore[misc]
    deployment, person_values = parts["deployment"], parts["person"]
    if deployment is None or not deployment[1] or person_values is None:
        return RecordedLaunch(registration, None)
    person = Person(*person_values)
    if not _same(person, facts.person):
        return RecordedLaunch(registration, None)
    if not facts.context_id:
        return RecordedLaunch(registration, (person, None))
    course = None if parts["course"] is None else Course(*parts["course"])
    unchanged = course is not None and _course_unchanged(course, parts, facts)
    return RecordedLaunch(registration, (person, course) if unchanged else None)


def _course_unchanged(course: Course, parts: Mapping[str, tuple[Any, ...] | None],
                      facts: LaunchFacts) -> bool:
    membership, services = parts["membership"], parts["services"]
    if membership is None:
        return False
    if course.title != facts.course_title or course.label != facts.course_label:
        return False
    _id, roles, status = membership
    if roles != " ".join(facts.roles) or status != "Active":
        return False
    if not (facts.memberships_url or facts.lineitems_url):
        return True
    return services is not None and not service_changes(
        _Endpoints(*services[1:]), facts.memberships_url, facts.lineitems_url, facts.scopes)


def _same(row: object, values: Mapping[str, str]) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())
