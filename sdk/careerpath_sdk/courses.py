"""Namespaces for courses, rules, cohorts and widget tokens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import models
from .pagination import PaginatedList
from .resources import Resource


class Courses(Resource):
    def list(self) -> PaginatedList[models.Course]:
        """GET /api/v1/courses (every page, lazily)."""
        return PaginatedList(self._t, "/courses", models.Course.from_json)

    def get(self, course_id: int) -> models.Course:
        """GET /api/v1/courses/{course_id}."""
        return models.Course.from_json(self._t.request("GET", f"/courses/{course_id}").body)

    def create(self, context_id: str, *, title: str = "", label: str = "") -> models.Course:
        """POST /api/v1/courses."""
        body = {"context_id": context_id, "title": title, "label": label}
        return models.Course.from_json(self._t.request("POST", "/courses", json=body).body)

    def delete(self, course_id: int) -> None:
        """DELETE /api/v1/courses/{course_id}."""
        self._t.request("DELETE", f"/courses/{course_id}")

    def enrol(self, course_id: int, person_id: int, roles: Iterable[str] = ("Learner",),
              status: str = "Active") -> models.Membership:
        """PUT /api/v1/courses/{course_id}/members/{person_id}."""
        body = {"roles": list(roles), "status": status}
        return models.Membership.from_json(
            self._t.request("PUT", f"/courses/{course_id}/members/{person_id}", json=body).body)

    def members(self, course_id: int) -> list[models.Membership]:
        """GET /api/v1/courses/{course_id}/members."""
        found = self._t.request("GET", f"/courses/{course_id}/members").body
        return [models.Membership.from_json(m) for m in found]

    def items(self, course_id: int) -> list[models.LmsItem]:
        """GET /api/v1/courses/{course_id}/items."""
        found = self._t.request("GET", f"/courses/{course_id}/items").body
        return [models.LmsItem.from_json(i) for i in found]

    def add_item(self, course_id: int, lms_id: str, *, title: str = "",
                 kind: str = "line_item", **fields: Any) -> models.LmsItem:
        """POST /api/v1/courses/{course_id}/items (score_maximum, effort, tag...)."""
        body = {"lms_id": lms_id, "title": title, "kind": kind, **fields}
        return models.LmsItem.from_json(
            self._t.request("POST", f"/courses/{course_id}/items", json=body).body)

    def delete_item(self, course_id: int, item_id: int) -> None:
        """DELETE /api/v1/courses/{course_id}/items/{item_id}."""
        self._t.request("DELETE", f"/courses/{course_id}/items/{item_id}")


class Rules(Resource):
    def list(self, course_id: int) -> list[models.EvidenceRule]:
        """GET /api/v1/courses/{course_id}/rules."""
        found = self._t.request("GET", f"/courses/{course_id}/rules").body
        return [models.EvidenceRule.from_json(r) for r in found]

    def create(self, course_id: int, lms_item_id: int, competency_id: int, level: int,
               condition: Mapping[str, Any]) -> models.EvidenceRule:
        """POST /api/v1/courses/{course_id}/rules, e.g. condition {"type": "completed"}."""
        body = {"lms_item_id": lms_item_id, "competency_id": competency_id, "level": level,
                "condition": dict(condition)}
        return models.EvidenceRule.from_json(
            self._t.request("POST", f"/courses/{course_id}/rules", json=body).body)

    def get(self, course_id: int, rule_id: int) -> models.EvidenceRule:
        """GET /api/v1/courses/{course_id}/rules/{rule_id}."""
        return models.EvidenceRule.from_json(
            self._t.request("GET", f"/courses/{course_id}/rules/{rule_id}").body)

    def update(self, course_id: int, rule_id: int, lms_item_id: int, competency_id: int,
               level: int, condition: Mapping[str, Any]) -> models.EvidenceRule:
        """PUT /api/v1/courses/{course_id}/rules/{rule_id}: replace the whole rule."""
        body = {"lms_item_id": lms_item_id, "competency_id": competency_id, "level": level,
                "condition": dict(condition)}
        return models.EvidenceRule.from_json(
            self._t.request("PUT", f"/courses/{course_id}/rules/{rule_id}", json=body).body)

    def delete(self, course_id: int, rule_id: int) -> None:
        """DELETE /api/v1/courses/{course_id}/rules/{rule_id}."""
        self._t.request("DELETE", f"/courses/{course_id}/rules/{rule_id}")


class Cohorts(Resource):
    def readiness(self, course_id: int, role_id: int) -> models.CohortReadiness:
        """GET /api/v1/courses/{course_id}/readiness/{role_id}."""
        return models.CohortReadiness.from_json(
            self._t.request("GET", f"/courses/{course_id}/readiness/{role_id}").body)


class WidgetTokens(Resource):
    def create(self, person_id: int, ttl_seconds: int = 900) -> models.WidgetToken:
        """POST /api/v1/widget-tokens (at most 15 minutes)."""
        body = {"person_id": person_id, "ttl_seconds": ttl_seconds}
        return models.WidgetToken.from_json(
            self._t.request("POST", "/widget-tokens", json=body).body)
