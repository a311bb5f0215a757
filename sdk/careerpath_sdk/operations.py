"""Namespaces for operating the tool: course sync runs and API keys."""

from __future__ import annotations

from collections.abc import Iterable

from . import models
from .pagination import PaginatedList
from .resources import Resource


class Syncs(Resource):
    def start(self, course_id: int) -> models.SyncStarted:
        """POST /api/v1/courses/{course_id}/syncs: queue a sync of the course (202)."""
        return models.SyncStarted.from_json(
            self._t.request("POST", f"/courses/{course_id}/syncs").body)

    def list(self, course_id: int) -> PaginatedList[models.SyncRun]:
        """GET /api/v1/courses/{course_id}/syncs (newest first, every page, lazily)."""
        return PaginatedList(self._t, f"/courses/{course_id}/syncs", models.SyncRun.from_json)

    def get(self, course_id: int, run_id: int) -> models.SyncRun:
        """GET /api/v1/courses/{course_id}/syncs/{run_id}."""
        return models.SyncRun.from_json(
            self._t.request("GET", f"/courses/{course_id}/syncs/{run_id}").body)


class ApiKeys(Resource):
    def list(self) -> list[models.ApiKey]:
        """GET /api/v1/api-keys (scope: admin); never shows a key's secret."""
        return [models.ApiKey.from_json(k) for k in self._t.request("GET", "/api-keys").body]

    def create(self, scopes: Iterable[str], name: str = "") -> models.ApiKey:
        """POST /api/v1/api-keys: the new key's `token` is in this reply only."""
        body = {"name": name, "scopes": list(scopes)}
        return models.ApiKey.from_json(self._t.request("POST", "/api-keys", json=body).body)

    def revoke(self, key_id: int) -> None:
        """DELETE /api/v1/api-keys/{key_id}."""
        self._t.request("DELETE", f"/api-keys/{key_id}")
