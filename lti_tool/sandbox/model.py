"""The sandbox's records: people, courses, placed links, line items, results, registrations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LIS = "http://purl.imsglobal.org/vocab/lis/v2"
LEARNER = f"{LIS}/membership#Learner"
INSTRUCTOR = f"{LIS}/membership#Instructor"
SYSTEM_ADMIN = f"{LIS}/system/person#Administrator"
INSTITUTION_ADMIN = f"{LIS}/institution/person#Administrator"
MENTOR = f"{LIS}/membership#Mentor"
ROLE_URIS = {
    "learner": [LEARNER],
    "instructor": [INSTRUCTOR],
    "admin": [SYSTEM_ADMIN, INSTITUTION_ADMIN],
    "mentor": [MENTOR],  # Canvas's observer, Moodle's parent role: sees only its mentees
}
RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
MEMBER_STATUSES = ("Active", "Inactive", "Deleted")


@dataclass(slots=True)
class User:
    """A person known to the LMS; `id` is the opaque LTI `sub` and login hint."""

    id: str
    given_name: str
    family_name: str
    email: str

    @property
    def name(self) -> str:
        """The full display name."""
        return f"{self.given_name} {self.family_name}"


@dataclass(slots=True)
class Membership:
    """A person's place in a course; `changed_seq` feeds the NRPS differences link."""

    user_id: str
    kind: str
    roles: list[str]
    status: str = "Active"
    changed_seq: int = 0
    # a mentor's mentees (their user ids), sent as the launch's role_scope_mentor claim
    mentees: list[str] = field(default_factory=list)

    @property
    def in_context(self) -> bool:
        """Whether this is a course (context) role, listed by NRPS."""
        return any("/membership#" in role for role in self.roles)


@dataclass(slots=True)
class ResourceLink:
    """A tool link placed in a course."""

    id: str
    title: str
    url: str | None
    custom: dict[str, str] = field(default_factory=dict)
    client_id: str | None = None
    flavour: str | None = None
    line_item_id: str | None = None


@dataclass(slots=True)
class LineItem:
    """A gradebook column; results are keyed by user and kept in insertion order.

    `client_id` is the tool that made it (AGS POST, deep linking, or seeded for it): AGS
    shows a tool only its own columns (Canvas filters `lti_line_items.client_id`, Moodle
    the tool's type). `native` ("quiz", "assignment") marks the grade column of a native
    course activity (native_course.Activity.line_item_id): it lives in the gradebook, its
    grades are what Canvas REST and Moodle web services return, and no AGS call lists it.
    """

    id: str
    label: str
    score_maximum: float
    client_id: str | None = None
    native: str | None = None
    resource_link_id: str | None = None
    resource_id: str | None = None
    tag: str | None = None
    start: str | None = None
    end: str | None = None
    results: dict[str, Result] = field(default_factory=dict)
    result_order: list[str] = field(default_factory=list)
    last_score_at: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Result:
    """A learner's result on a line item; `score` None means submitted but ungraded."""

    user_id: str
    score: float | None
    maximum: float
    comment: str | None = None
    timestamp: str | None = None  # when it was last graded (Moodle's timemodified)


@dataclass(slots=True)
class Course:
    """An LMS course (the LTI context)."""

    id: str
    label: str
    title: str
    flavour: str = "moodle"
    locale: str = "en"  # the course's language, sent as launch_presentation.locale
    members: dict[str, Membership] = field(default_factory=dict)
    links: dict[str, ResourceLink] = field(default_factory=dict)
    line_items: dict[str, LineItem] = field(default_factory=dict)

    def member(self, user_id: str) -> Membership | None:
        """The membership of `user_id`, if any."""
        return self.members.get(user_id)


@dataclass(slots=True)
class Registration:
    """A tool registered with the platform (the default one or dynamically registered)."""

    client_id: str
    login_url: str
    launch_url: str
    jwks_url: str
    redirect_uris: list[str]
    deep_link_url: str | None = None
    deployments: list[str] = field(default_factory=list)
    flavour: str = "moodle"
    configuration: dict[str, Any] = field(default_factory=dict)
    type_id: int = 0  # Moodle's lti_types.id for this tool (set when registered)
    # grade services offered in launches; Moodle's gradebookservices.php
    # get_launch_parameters adds no AGS when the tool's grade sync is "never"
    grade_sync: bool = True
    throttle: dict[str, float] | None = None  # Canvas flavour: {capacity, refill_per_second}
    bucket: dict[str, float] = field(default_factory=dict)  # the throttle's running state
