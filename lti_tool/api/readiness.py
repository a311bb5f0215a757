"""/api/v1/people/<id>/readiness and next-roles, widget tokens, and API key management."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases import api_keys, widget_tokens
from ..usecases.readiness import load_levels, next_roles, readiness_report
from .callers import ADMIN, READ, WRITE, caller, requires
from .representations import api_key_json, next_role_json, readiness_json
from .request_cycle import install
from .schemas.people import (
    ApiKeyIn,
    ApiKeyOut,
    NextRoleOut,
    ReadinessOut,
    WidgetTokenIn,
    WidgetTokenOut,
)

bp = Blueprint("readiness", __name__, description="Readiness, next roles, widget tokens, keys")


def _svc() -> Any:
    return services(current_app)


@bp.route("/people/<id:person_id>/readiness/<id:role_id>", methods=["GET"])
@bp.response(200, ReadinessOut)
@requires(READ, widget=True)
def get_readiness(person_id: int, role_id: int) -> Any:
    """Score, gates, gaps, checklist and modules for one role (read, or a widget token)."""
    learner = load_levels(_svc().database, caller().tenant_id, person_id, _svc().catalogue)
    report = readiness_report(learner, str(role_id), datetime.now(UTC))
    return readiness_json(person_id, report)


@bp.route("/people/<id:person_id>/next-roles", methods=["GET"])
@bp.response(200, NextRoleOut(many=True))
@requires(READ, widget=True)
def get_next_roles(person_id: int) -> Any:
    """Roles reachable from the person's current role, most ready first (read, widget)."""
    learner = load_levels(_svc().database, caller().tenant_id, person_id, _svc().catalogue)
    names = {r.id: r.name for r in learner.context.lattice.roles}
    return [next_role_json(r, names) for r in next_roles(learner)]


@bp.route("/widget-tokens", methods=["POST"])
@bp.arguments(WidgetTokenIn)
@bp.response(201, WidgetTokenOut)
@requires(WRITE)
def mint_widget_token(data: dict[str, Any]) -> Any:
    """A token (≤ 15 min) that reads one person's widgets (scope: write)."""
    svc = _svc()
    return widget_tokens.mint_widget_token(svc.database, svc.settings.secret_key,
                                           caller().tenant_id, data["person_id"],
                                           data["ttl_seconds"])


@bp.route("/api-keys", methods=["GET"])
@bp.response(200, ApiKeyOut(many=True))
@requires(ADMIN)
def list_api_keys() -> Any:
    """The tenant's API keys, without secrets (scope: admin)."""
    return [api_key_json(k) for k in api_keys.tenant_api_keys(_svc().database,
                                                              caller().tenant_id)]


@bp.route("/api-keys", methods=["POST"])
@bp.arguments(ApiKeyIn)
@bp.response(201, ApiKeyOut)
@requires(ADMIN)
def create_api_key(data: dict[str, Any]) -> Any:
    """A new key for this tenant; `token` is shown only now (scope: admin)."""
    made = api_keys.create_tenant_key(_svc().database, caller().tenant_id, data["scopes"],
                                      data["name"])
    return api_key_json(made.key, made.token), 201, {"Cache-Control": "no-store"}


@bp.route("/api-keys/<id:key_id>", methods=["DELETE"])
@bp.response(204)
@requires(ADMIN)
def revoke_api_key(key_id: int) -> None:
    """Revoke one of the tenant's keys (scope: admin)."""
    api_keys.revoke_api_key(_svc().database, key_id, caller().tenant_id)


install(bp)
