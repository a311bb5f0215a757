"""Evidence from people: applied projects, observations, self-ratings and current roles.

The API applies the same rules as the LMS pages: the reviewer or author you name must teach
the learner (or manage them, where the tenant allows managers); a widget token acts only
for its own person.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import Model
from .transport import Transport


@dataclass(frozen=True)
class ProjectSubmission(Model):
    id: int
    person_id: int
    competency_id: int
    url: str
    state: str  # submitted | accepted | returned
    title: str = ""
    submitted_at: datetime | None = None
    reviewer_id: int | None = None
    reviewed_at: datetime | None = None
    level: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class Observation(Model):
    id: int
    person_id: int
    competency_id: int
    level: int
    author_id: int | None = None
    as_manager: bool = False
    anchor: str = ""
    note: str = ""
    observed_at: datetime | None = None


@dataclass(frozen=True)
class SelfRating(Model):
    competency_id: int
    level: int
    anchor: str = ""
    rated_at: datetime | None = None
    evidence_level: float | None = None
    gap: float | None = None


@dataclass(frozen=True)
class CurrentRole(Model):
    person_id: int
    role_id: int | None = None
    source: str = "learner"  # learner | hris


@dataclass(frozen=True)
class EvidenceSettings(Model):
    managers_may_observe: bool = False
    self_ratings_count: bool = False


class _Resource:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        return self._t.request(method, path, json=json).body


class Projects(_Resource):
    """Applied projects: a learner's artifact links and their review."""

    def list(self, person_id: int) -> builtins.list[ProjectSubmission]:
        """GET /api/v1/people/{person_id}/projects (newest first)."""
        return [ProjectSubmission.from_json(p)
                for p in self._call("GET", f"/people/{person_id}/projects")]

    def submit(self, person_id: int, competency_id: int, url: str,
               title: str = "") -> ProjectSubmission:
        """POST /api/v1/people/{person_id}/projects; `url` must be https."""
        return ProjectSubmission.from_json(self._call(
            "POST", f"/people/{person_id}/projects",
            {"competency_id": competency_id, "url": url, "title": title}))

    def queue(self, course_id: int) -> builtins.list[ProjectSubmission]:
        """GET /api/v1/courses/{course_id}/project-queue (oldest first)."""
        return [ProjectSubmission.from_json(p)
                for p in self._call("GET", f"/courses/{course_id}/project-queue")]

    def accept(self, submission_id: int, reviewer_id: int, level: int, *,
               course_id: int | None = None) -> ProjectSubmission:
        """POST /api/v1/projects/{submission_id}/accept at a level of the scale."""
        return ProjectSubmission.from_json(self._call(
            "POST", f"/projects/{submission_id}/accept",
            {"reviewer_id": reviewer_id, "level": level, "course_id": course_id}))

    def return_(self, submission_id: int, reviewer_id: int, comment: str, *,
                course_id: int | None = None) -> ProjectSubmission:
        """POST /api/v1/projects/{submission_id}/return with a comment for the learner."""
        return ProjectSubmission.from_json(self._call(
            "POST", f"/projects/{submission_id}/return",
            {"reviewer_id": reviewer_id, "comment": comment, "course_id": course_id}))


class Observations(_Resource):
    """Observations and endorsements by instructors (and managers where allowed)."""

    def list(self, person_id: int) -> builtins.list[Observation]:
        """GET /api/v1/people/{person_id}/observations (standing ones, newest first)."""
        return [Observation.from_json(o)
                for o in self._call("GET", f"/people/{person_id}/observations")]

    def record(self, person_id: int, author_id: int, competency_id: int, level: int, *,
               anchor_level: int | None = None, note: str = "",
               course_id: int | None = None) -> Observation:
        """POST /api/v1/people/{person_id}/observations; `anchor_level` names the
        behavioural anchor observed (needed when the competency has anchors)."""
        return Observation.from_json(self._call("POST", f"/people/{person_id}/observations", {
            "author_id": author_id, "competency_id": competency_id, "level": level,
            "anchor_level": anchor_level, "note": note, "course_id": course_id}))

    def withdraw(self, observation_id: int, author_id: int) -> None:
        """POST /api/v1/observations/{observation_id}/withdraw (its author only)."""
        self._t.request("POST", f"/observations/{observation_id}/withdraw",
                        json={"author_id": author_id})


class SelfRatings(_Resource):
    """A learner's own ratings, beside the level the evidence gives."""

    def list(self, person_id: int) -> builtins.list[SelfRating]:
        """GET /api/v1/people/{person_id}/self-ratings."""
        return [SelfRating.from_json(r)
                for r in self._call("GET", f"/people/{person_id}/self-ratings")]

    def rate(self, person_id: int, competency_id: int, level: int) -> SelfRating:
        """PUT /api/v1/people/{person_id}/self-ratings/{competency_id}."""
        return SelfRating.from_json(self._call(
            "PUT", f"/people/{person_id}/self-ratings/{competency_id}", {"level": level}))


class CurrentRoles(_Resource):
    """The role a person holds now: the learner's choice, or the HRIS's (read-only)."""

    def get(self, person_id: int) -> CurrentRole:
        """GET /api/v1/people/{person_id}/current-role."""
        return CurrentRole.from_json(self._call("GET", f"/people/{person_id}/current-role"))

    def set(self, person_id: int, role_id: int | None) -> CurrentRole:
        """PUT /api/v1/people/{person_id}/current-role (409 when the HRIS sets it)."""
        return CurrentRole.from_json(self._call(
            "PUT", f"/people/{person_id}/current-role", {"role_id": role_id}))


class ReportingLines(_Resource):
    """Who manages whom, from the HRIS (managers may observe where the tenant allows it)."""

    def add(self, person_id: int, manager_id: int) -> None:
        """PUT /api/v1/people/{person_id}/managers/{manager_id}."""
        self._t.request("PUT", f"/people/{person_id}/managers/{manager_id}")

    def remove(self, person_id: int, manager_id: int) -> None:
        """DELETE /api/v1/people/{person_id}/managers/{manager_id}."""
        self._t.request("DELETE", f"/people/{person_id}/managers/{manager_id}")


class EvidenceSettingsResource(_Resource):
    """The tenant's settings for people's evidence (changing them needs the admin scope)."""

    def get(self) -> EvidenceSettings:
        """GET /api/v1/settings/evidence."""
        return EvidenceSettings.from_json(self._call("GET", "/settings/evidence"))

    def update(self, *, managers_may_observe: bool | None = None,
               self_ratings_count: bool | None = None) -> EvidenceSettings:
        """PATCH /api/v1/settings/evidence (None leaves a setting as it is)."""
        body = {k: v for k, v in (("managers_may_observe", managers_may_observe),
                                  ("self_ratings_count", self_ratings_count)) if v is not None}
        return EvidenceSettings.from_json(self._call("PATCH", "/settings/evidence", body))
