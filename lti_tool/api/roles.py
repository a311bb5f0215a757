"""/api/v1/roles: role blueprints with requirements, and lattice transitions."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases import catalogue, catalogue_edits
from .callers import READ, WRITE, caller, requires
from .pagination import paged, window
from .representations import role_json
from .request_cycle import install
from .schemas.catalogue import RoleIn, RoleOut, TransitionIn
from .schemas.common import PageArgs

bp = Blueprint("roles", __name__, description="Role blueprints and the career lattice")


def _db() -> Any:
    return services(current_app).database


@bp.route("/roles", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, RoleOut(many=True))
@requires(READ)
def list_roles(args: dict[str, int]) -> Any:
    """List roles (scope: read)."""
    offset, limit = window(args)
    page = catalogue.list_roles(_db(), caller().tenant_id, offset, limit)
    return paged(page, args, [role_json(r) for r in page.items])


@bp.route("/roles", methods=["POST"])
@bp.arguments(RoleIn)
@bp.response(201, RoleOut)
@requires(WRITE)
def create_role(data: catalogue.RoleInput) -> Any:
    """Create a role with weighted requirements (scope: write)."""
    return role_json(catalogue.create_role(_db(), caller().tenant_id, data))


@bp.route("/roles/<id:role_id>", methods=["GET"])
@bp.response(200, RoleOut)
@requires(READ)
def get_role(role_id: int) -> Any:
    """One role with its requirements and outgoing transitions (scope: read)."""
    return role_json(catalogue.get_role(_db(), caller().tenant_id, role_id))


@bp.route("/roles/<id:role_id>", methods=["PUT"])
@bp.arguments(RoleIn)
@bp.response(200, RoleOut)
@requires(WRITE)
def replace_role(data: catalogue.RoleInput, role_id: int) -> Any:
    """Replace a role's fields and requirements (scope: write)."""
    return role_json(catalogue.update_role(_db(), caller().tenant_id, role_id, data))


@bp.route("/roles/<id:role_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_role(role_id: int) -> None:
    """Delete a role, its requirements, transitions and goals naming it (scope: write)."""
    catalogue.delete_role(_db(), caller().tenant_id, role_id)


@bp.route("/roles/<id:role_id>/transitions", methods=["POST"])
@bp.arguments(TransitionIn)
@bp.response(201, RoleOut)
@requires(WRITE)
def add_transition(data: dict[str, Any], role_id: int) -> Any:
    """Join this role to another, upward or lateral (scope: write)."""
    return role_json(catalogue.add_transition(_db(), caller().tenant_id, role_id,
                                              data["to_role_id"], data["kind"]))


@bp.route("/roles/<id:role_id>/transitions/<id:to_role_id>", methods=["DELETE"])
@bp.response(200, RoleOut)
@requires(WRITE)
def delete_transition(role_id: int, to_role_id: int) -> Any:
    """Remove the transition from this role to another; the role after (scope: write)."""
    return role_json(catalogue_edits.delete_transition(_db(), caller().tenant_id, role_id,
                                                       to_role_id))


install(bp)
