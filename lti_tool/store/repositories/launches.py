"""A repeat launch, read in one statement: would recording it change any row?

Most launches repeat one already recorded (same person, course, roles and services). The
launch use case asks here first, inside a read-only unit of work; only when something
would change does it open a writing one (the upserts of the other repositories). One
joined SELECT, built once, replaces the six lookups the upserts would make.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from lti_tool.domain.errors import NotFound

from ..models import (
    CourseRow,
    CourseServicesRow,
    DeploymentRow,
    MembershipRow,
    PersonRow,
    PlatformRegistrationRow,
)
from ..records import Course, Person, PlatformRegistration
from .courses import course_record
from .lti import registration_record
from .people import person_record
from .statements import pk
from .sync import service_changes

_Registration, _Person, _Course = PlatformRegistrationRow, PersonRow, CourseRow
# the registration, and beside it whatever of the launch's rows already exist
LAUNCH_ROWS = (
    select(_Registration, DeploymentRow, _Person, _Course, MembershipRow, CourseServicesRow)
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


def recorded_launch(session: Session, registration_id: int | str,
                    facts: LaunchFacts) -> RecordedLaunch:
    """The registration, and the person and course if recording `facts` would change no
    row (an enabled deployment, the same claims, title, label, roles and services)."""
    found = session.execute(LAUNCH_ROWS, {
        "registration_id": pk(registration_id), "deployment_id": facts.deployment_id,
        "sub": facts.sub, "context_id": facts.context_id}).first()
    if found is None:
        raise NotFound(f"registration {registration_id} does not exist")
    registration, deployment, person, course, membership, services = found
    unchanged = None
    if (deployment is not None and deployment.enabled and person is not None
            and _same(person, facts.person)):
        if not facts.context_id:
            unchanged = (person_record(person), None)
        elif _course_unchanged(course, membership, services, facts):
            unchanged = (person_record(person), course_record(course))
    return RecordedLaunch(registration_record(registration), unchanged)


def _course_unchanged(course: CourseRow | None, membership: MembershipRow | None,
                      services: CourseServicesRow | None, facts: LaunchFacts) -> bool:
    if course is None or membership is None:
        return False
    if course.title != facts.course_title or course.label != facts.course_label:
        return False
    if membership.roles != " ".join(facts.roles) or membership.status != "Active":
        return False
    if not (facts.memberships_url or facts.lineitems_url):
        return True
    return services is not None and not service_changes(
        services, facts.memberships_url, facts.lineitems_url, facts.scopes)


def _same(row: object, values: Mapping[str, str]) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())
