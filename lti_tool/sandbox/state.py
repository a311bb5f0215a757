"""The sandbox's in-memory state, guarded by one lock so it may run threaded."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable

from .model import ROLE_URIS, Course, Membership, Registration, ResourceLink, User


class SandboxError(Exception):
    """A request the sandbox refuses; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, error: str = "invalid_request") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error = error


class SandboxState:
    """Users, courses, registrations and the counters that make ids."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.users: dict[str, User] = {}
        self.courses: dict[str, Course] = {}
        self.registrations: dict[str, Registration] = {}
        self.membership_seq = 0
        self._ids = itertools.count(1)

    def next_id(self, prefix: str) -> str:
        """A new id, unique within this sandbox."""
        with self.lock:
            return f"{prefix}-{next(self._ids)}"

    def course(self, course_id: str) -> Course:
        """The course, or a 404 SandboxError."""
        found = self.courses.get(course_id)
        if found is None:
            raise SandboxError(f"No course {course_id!r}", 404, "not_found")
        return found

    def user(self, user_id: str) -> User:
        """The user, or a 404 SandboxError."""
        found = self.users.get(user_id)
        if found is None:
            raise SandboxError(f"No user {user_id!r}", 404, "not_found")
        return found

    def add_course(self, course_id: str, label: str, title: str, flavour: str = "moodle") -> Course:
        """Create (or replace) a course."""
        if flavour not in {"moodle", "canvas", "generic"}:
            raise SandboxError("flavour must be moodle, canvas or generic")
        with self.lock:
            course = Course(id=course_id, label=label, title=title, flavour=flavour)
            self.courses[course_id] = course
            return course

    def add_user(self, user: User) -> User:
        """Add (or replace) a person."""
        with self.lock:
            self.users[user.id] = user
            return user

    def enrol(self, course_id: str, user_id: str, kind: str) -> Membership:
        """Enrol a known user in a course as learner, instructor or admin."""
        if kind not in ROLE_URIS:
            raise SandboxError(f"kind must be one of {sorted(ROLE_URIS)}")
        with self.lock:
            course = self.course(course_id)
            self.user(user_id)
            self.membership_seq += 1
            membership = Membership(
                user_id, kind, list(ROLE_URIS[kind]), "Active", self.membership_seq
            )
            course.members[user_id] = membership
            return membership

    def set_mentees(self, course_id: str, mentor_id: str, mentees: Iterable[str]) -> Membership:
        """The user ids a `mentor` member mentors (its launches' role_scope_mentor claim)."""
        with self.lock:
            membership = self.course(course_id).member(mentor_id)
            if membership is None or membership.kind != "mentor":
                raise SandboxError(f"{mentor_id!r} is not a mentor in {course_id!r}")
            membership.mentees = [self.user(m).id for m in mentees]
            return membership

    def enrol_many(self, course_id: str, users: Iterable[User], kind: str = "learner") -> int:
        """Add and enrol many users at once; returns how many."""
        count = 0
        with self.lock:
            for user in users:
                self.add_user(user)
                self.enrol(course_id, user.id, kind)
                count += 1
        return count

    def change_membership(
        self, course_id: str, user_id: str, status: str | None = None, kind: str | None = None
    ) -> Membership:
        """Change a member's status or role; bumps the change counter for NRPS differences."""
        with self.lock:
            membership = self.course(course_id).member(user_id)
            if membership is None:
                raise SandboxError(
                    f"{user_id!r} is not a member of {course_id!r}", 404, "not_found"
                )
            if status is not None:
                if status not in {"Active", "Inactive", "Deleted"}:
                    raise SandboxError("status must be Active, Inactive or Deleted")
                membership.status = status
            if kind is not None:
                if kind not in ROLE_URIS:
                    raise SandboxError(f"kind must be one of {sorted(ROLE_URIS)}")
                membership.kind, membership.roles = kind, list(ROLE_URIS[kind])
            self.membership_seq += 1
            membership.changed_seq = self.membership_seq
            return membership

    def place_link(self, course_id: str, link: ResourceLink) -> ResourceLink:
        """Place a tool link in a course."""
        with self.lock:
            self.course(course_id).links[link.id] = link
            return link

    def link(self, course_id: str, link_id: str) -> ResourceLink:
        """The placed link, or a 404 SandboxError."""
        found = self.course(course_id).links.get(link_id)
        if found is None:
            raise SandboxError(f"No link {link_id!r} in {course_id!r}", 404, "not_found")
        return found

    def register(self, registration: Registration) -> Registration:
        """Add a tool registration."""
        with self.lock:
            if not registration.type_id:
                registration.type_id = len(self.registrations) + 1
            self.registrations[registration.client_id] = registration
            return registration

    def registration(self, client_id: str) -> Registration:
        """The registration for `client_id`, or a 400 SandboxError."""
        found = self.registrations.get(client_id)
        if found is None:
            raise SandboxError(f"Unknown client_id {client_id!r}", 400, "invalid_client")
        return found

    def deploy(self, client_id: str) -> str:
        """Create a new deployment of a registered tool (as a Canvas admin installing a key)."""
        with self.lock:
            registration = self.registration(client_id)
            deployment_id = self.next_id("deployment")
            registration.deployments.append(deployment_id)
            return deployment_id
