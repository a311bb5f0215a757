"""/api/v1/frameworks and /api/v1/scales."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases import catalogue, catalogue_edits
from .callers import READ, WRITE, caller, requires
from .pagination import paged, window
from .representations import framework_json, scale_json
from .request_cycle import install
from .schemas.catalogue import CompetencyAddIn, FrameworkIn, FrameworkOut, ScaleOut
from .schemas.catalogue_edits import CompetencyPatchIn, CompetencyRemovedOut, DeleteArgs, ScaleIn
from .schemas.common import PageArgs

bp = Blueprint("frameworks", __name__, description="Competency frameworks and their scales")


def _db() -> Any:
    return services(current_app).database


@bp.route("/frameworks", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, FrameworkOut(many=True))
@requires(READ)
def list_frameworks(args: dict[str, int]) -> Any:
    """List frameworks (scope: read)."""
    offset, limit = window(args)
    page = catalogue.list_frameworks(_db(), caller().tenant_id, offset, limit)
    return paged(page, args, [framework_json(f) for f in page.items])


@bp.route("/frameworks", methods=["POST"])
@bp.arguments(FrameworkIn)
@bp.response(201, FrameworkOut)
@requires(WRITE)
def create_framework(data: catalogue.FrameworkInput) -> Any:
    """Create a framework with its competencies and anchors (scope: write)."""
    return framework_json(catalogue.create_framework(_db(), caller().tenant_id, data))


@bp.route("/frameworks/<id:framework_id>", methods=["GET"])
@bp.response(200, FrameworkOut)
@requires(READ)
def get_framework(framework_id: int) -> Any:
    """One framework with its scale, competencies and anchors (scope: read)."""
    return framework_json(catalogue.get_framework(_db(), caller().tenant_id, framework_id))


@bp.route("/frameworks/<id:framework_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_framework(framework_id: int) -> None:
    """Delete a framework without evidence against it (scope: write)."""
    catalogue.delete_framework(_db(), caller().tenant_id, framework_id)


@bp.route("/frameworks/<id:framework_id>/competencies", methods=["POST"])
@bp.arguments(CompetencyAddIn)
@bp.response(201, FrameworkOut)
@requires(WRITE)
def add_competency(data: dict[str, Any], framework_id: int) -> Any:
    """Add a competency (with anchors) to a framework (scope: write)."""
    return framework_json(catalogue.add_competency(
        _db(), caller().tenant_id, framework_id, data["competency"], data["parent_id"]))


@bp.route("/frameworks/<id:framework_id>/competencies/<id:competency_id>", methods=["PATCH"])
@bp.arguments(CompetencyPatchIn)
@bp.response(200, FrameworkOut)
@requires(WRITE)
def update_competency(change: catalogue_edits.CompetencyChange, framework_id: int,
                      competency_id: int) -> Any:
    """Change a competency's name, description, parent, anchors or badge level (scope: write)."""
    return framework_json(catalogue_edits.update_competency(
        _db(), caller().tenant_id, framework_id, competency_id, change))


@bp.route("/frameworks/<id:framework_id>/competencies/<id:competency_id>", methods=["DELETE"])
@bp.arguments(DeleteArgs, location="query")
@bp.response(200, CompetencyRemovedOut)
@requires(WRITE)
def delete_competency(args: dict[str, bool], framework_id: int, competency_id: int) -> Any:
    """Delete an unused competency; one that rules or evidence use is refused (409) unless
    `?force=true` archives it (hidden, its evidence kept) (scope: write)."""
    outcome = catalogue_edits.delete_competency(_db(), caller().tenant_id, framework_id,
                                                competency_id, args["force"])
    return {"id": competency_id, "outcome": outcome}


@bp.route("/scales", methods=["POST"])
@bp.arguments(ScaleIn)
@bp.response(201, ScaleOut)
@requires(WRITE)
def create_scale(data: catalogue_edits.ScaleInput) -> Any:
    """Create a proficiency scale: levels with values and labels, one mastery point
    (scope: write)."""
    return scale_json(catalogue_edits.create_scale(_db(), caller().tenant_id, data))


@bp.route("/scales", methods=["GET"])
@bp.response(200, ScaleOut(many=True))
@requires(READ)
def list_scales() -> Any:
    """Proficiency scales: shipped ones and the tenant's own (scope: read)."""
    return [scale_json(s) for s in catalogue.list_scales(_db(), caller().tenant_id)]


@bp.route("/scales/<key>", methods=["GET"])
@bp.response(200, ScaleOut)
@requires(READ)
def get_scale(key: str) -> Any:
    """One proficiency scale by key (scope: read)."""
    return scale_json(catalogue.get_scale(_db(), caller().tenant_id, key))


install(bp)
