"""One namespace per API resource; each method names the endpoint it calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from . import models
from .pagination import PaginatedList
from .transport import Transport


class _Unset:
    """A keyword argument not given: the field keeps its value."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


class Resource:
    def __init__(self, transport: Transport) -> None:
        self._t = transport


class Frameworks(Resource):
    def list(self) -> PaginatedList[models.Framework]:
        """GET /api/v1/frameworks (every page, lazily)."""
        return PaginatedList(self._t, "/frameworks", models.Framework.from_json)

    def get(self, framework_id: int) -> models.Framework:
        """GET /api/v1/frameworks/{framework_id}."""
        found = self._t.request("GET", f"/frameworks/{framework_id}").body
        return models.Framework.from_json(found)

    def create(self, name: str, scale_key: str, *, competencies: Iterable[Mapping[str, Any]] = (),
               calculation_method: str = "highest", description: str = "") -> models.Framework:
        """POST /api/v1/frameworks; competencies: {code, name, parent_code?, anchors?}."""
        body = {"name": name, "scale_key": scale_key, "calculation_method": calculation_method,
                "description": description, "competencies": list(competencies)}
        return models.Framework.from_json(self._t.request("POST", "/frameworks", json=body).body)

    def add_competency(self, framework_id: int, code: str, name: str, *,
                       parent_id: int | None = None, description: str = "",
                       anchors: Iterable[Mapping[str, Any]] = ()) -> models.Framework:
        """POST /api/v1/frameworks/{framework_id}/competencies."""
        body = {"code": code, "name": name, "parent_id": parent_id, "description": description,
                "anchors": list(anchors)}
        return models.Framework.from_json(
            self._t.request("POST", f"/frameworks/{framework_id}/competencies", json=body).body)

    def update_competency(self, framework_id: int, competency_id: int, *, name: str = UNSET,
                          description: str = UNSET, parent_id: int | None = UNSET,
                          anchors: Iterable[Mapping[str, Any]] = UNSET,
                          badge_level: int | None = UNSET) -> models.Framework:
        """PATCH /api/v1/frameworks/{framework_id}/competencies/{competency_id}: only the
        arguments given change; `anchors` replaces them all; None clears `parent_id` or
        `badge_level`."""
        given = {"name": name, "description": description, "parent_id": parent_id,
                 "anchors": anchors, "badge_level": badge_level}
        body = {k: list(v) if k == "anchors" else v for k, v in given.items() if v is not UNSET}
        return models.Framework.from_json(self._t.request(
            "PATCH", f"/frameworks/{framework_id}/competencies/{competency_id}", json=body).body)

    def delete_competency(self, framework_id: int, competency_id: int, *,
                          force: bool = False) -> models.CompetencyRemoved:
        """DELETE /api/v1/frameworks/{framework_id}/competencies/{competency_id}: an unused
        competency is deleted; one in use raises ConflictError unless `force` archives it."""
        params = {"force": "true"} if force else None
        return models.CompetencyRemoved.from_json(self._t.request(
            "DELETE", f"/frameworks/{framework_id}/competencies/{competency_id}",
            params=params).body)

    def delete(self, framework_id: int) -> None:
        """DELETE /api/v1/frameworks/{framework_id}."""
        self._t.request("DELETE", f"/frameworks/{framework_id}")

    def export_case(self, framework_id: int) -> dict[str, Any]:
        """GET /api/v1/frameworks/{framework_id}/case: the framework as a CASE 1.0 CFPackage
        (CFDocument, CFItems, CFAssociations), ready for `client.imports.case`."""
        found: dict[str, Any] = self._t.request("GET", f"/frameworks/{framework_id}/case").body
        return found


class Scales(Resource):
    def list(self) -> list[models.Scale]:
        """GET /api/v1/scales."""
        return [models.Scale.from_json(s) for s in self._t.request("GET", "/scales").body]

    def get(self, key: str) -> models.Scale:
        """GET /api/v1/scales/{key}."""
        return models.Scale.from_json(self._t.request("GET", f"/scales/{key}").body)

    def create(self, key: str, name: str, levels: Iterable[Mapping[str, Any]]) -> models.Scale:
        """POST /api/v1/scales; levels: {value, label, mastery?}, exactly one mastery point."""
        body = {"key": key, "name": name, "levels": [dict(level) for level in levels]}
        return models.Scale.from_json(self._t.request("POST", "/scales", json=body).body)


class Roles(Resource):
    def list(self) -> PaginatedList[models.Role]:
        """GET /api/v1/roles (every page, lazily)."""
        return PaginatedList(self._t, "/roles", models.Role.from_json)

    def get(self, role_id: int) -> models.Role:
        """GET /api/v1/roles/{role_id}."""
        return models.Role.from_json(self._t.request("GET", f"/roles/{role_id}").body)

    def create(self, name: str, requirements: Iterable[Mapping[str, Any]] = (), *,
               threshold: float = 0.8, family: str = "", description: str = "") -> models.Role:
        """POST /api/v1/roles; requirements: {competency_id, required_level, weight?...}."""
        body = {"name": name, "requirements": list(requirements), "threshold": threshold,
                "family": family, "description": description}
        return models.Role.from_json(self._t.request("POST", "/roles", json=body).body)

    def replace(self, role_id: int, name: str, requirements: Iterable[Mapping[str, Any]] = (), *,
                threshold: float = 0.8, family: str = "", description: str = "") -> models.Role:
        """PUT /api/v1/roles/{role_id}."""
        body = {"name": name, "requirements": list(requirements), "threshold": threshold,
                "family": family, "description": description}
        return models.Role.from_json(self._t.request("PUT", f"/roles/{role_id}", json=body).body)

    def add_transition(self, role_id: int, to_role_id: int, kind: str = "upward") -> models.Role:
        """POST /api/v1/roles/{role_id}/transitions."""
        body = {"to_role_id": to_role_id, "kind": kind}
        return models.Role.from_json(
            self._t.request("POST", f"/roles/{role_id}/transitions", json=body).body)

    def remove_transition(self, role_id: int, to_role_id: int) -> models.Role:
        """DELETE /api/v1/roles/{role_id}/transitions/{to_role_id}."""
        return models.Role.from_json(
            self._t.request("DELETE", f"/roles/{role_id}/transitions/{to_role_id}").body)

    def delete(self, role_id: int) -> None:
        """DELETE /api/v1/roles/{role_id}."""
        self._t.request("DELETE", f"/roles/{role_id}")


class People(Resource):
    def list(self) -> PaginatedList[models.Person]:
        """GET /api/v1/people (every page, lazily)."""
        return PaginatedList(self._t, "/people", models.Person.from_json)

    def get(self, person_id: int) -> models.Person:
        """GET /api/v1/people/{person_id}."""
        return models.Person.from_json(self._t.request("GET", f"/people/{person_id}").body)

    def upsert(self, sub: str, **fields: Any) -> models.Person:
        """POST /api/v1/people: create or update by `sub` (name, email, current_role_id...)."""
        body = {"sub": sub, **fields}
        return models.Person.from_json(self._t.request("POST", "/people", json=body).body)

    def export(self, person_id: int) -> models.PersonalData:
        """GET /api/v1/people/{person_id}/export."""
        return models.PersonalData.from_json(
            self._t.request("GET", f"/people/{person_id}/export").body)

    def erase(self, person_id: int) -> None:
        """DELETE /api/v1/people/{person_id}: evidence, goals, memberships and the person."""
        self._t.request("DELETE", f"/people/{person_id}")


class EvidenceRecords(Resource):
    def add(self, person_id: int, kind: str, *, value: float | None = None,
            competency_id: int | None = None, lms_item_id: int | None = None,
            observed_at: datetime | None = None, source_ref: str = "",
            verifier: str = "") -> models.Evidence:
        """POST /api/v1/people/{person_id}/evidence (manager_endorsement, certification...)."""
        body = {"kind": kind, "value": value, "competency_id": competency_id,
                "lms_item_id": lms_item_id, "source_ref": source_ref, "verifier": verifier,
                "observed_at": None if observed_at is None else observed_at.isoformat()}
        return models.Evidence.from_json(
            self._t.request("POST", f"/people/{person_id}/evidence", json=body).body)

    def list(self, person_id: int) -> PaginatedList[models.Evidence]:
        """GET /api/v1/people/{person_id}/evidence (every page, lazily)."""
        return PaginatedList(self._t, f"/people/{person_id}/evidence", models.Evidence.from_json)

    def delete(self, person_id: int, evidence_id: int) -> None:
        """DELETE /api/v1/people/{person_id}/evidence/{evidence_id}: only evidence this key
        recorded (else PermissionDenied)."""
        self._t.request("DELETE", f"/people/{person_id}/evidence/{evidence_id}")


class GoalsResource(Resource):
    def get(self, person_id: int) -> models.Goals:
        """GET /api/v1/people/{person_id}/goals."""
        return models.Goals.from_json(self._t.request("GET", f"/people/{person_id}/goals").body)

    def add(self, person_id: int, role_id: int) -> models.Goals:
        """PUT /api/v1/people/{person_id}/goals/{role_id}."""
        return models.Goals.from_json(
            self._t.request("PUT", f"/people/{person_id}/goals/{role_id}").body)

    def remove(self, person_id: int, role_id: int) -> None:
        """DELETE /api/v1/people/{person_id}/goals/{role_id}."""
        self._t.request("DELETE", f"/people/{person_id}/goals/{role_id}")


class ReadinessResource(Resource):
    def get(self, person_id: int, role_id: int) -> models.Readiness:
        """GET /api/v1/people/{person_id}/readiness/{role_id}."""
        return models.Readiness.from_json(
            self._t.request("GET", f"/people/{person_id}/readiness/{role_id}").body)

    def next_roles(self, person_id: int) -> list[models.NextRole]:
        """GET /api/v1/people/{person_id}/next-roles."""
        found = self._t.request("GET", f"/people/{person_id}/next-roles").body
        return [models.NextRole.from_json(r) for r in found]
