"""/api/v1/people: HRIS imports, evidence, goals, personal-data export and erasure."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases import people_directory as directory
from ..usecases import person_export
from .callers import READ, WRITE, caller, requires
from .idempotency import HEADER
from .pagination import paged, window
from .representations import evidence_json
from .request_cycle import install
from .schemas.common import PageArgs
from .schemas.people import EvidenceIn, EvidenceOut, ExportOut, GoalsOut, PersonIn, PersonOut

bp = Blueprint("people", __name__, description="People, their evidence, goals and data")


def _db() -> Any:
    return services(current_app).database


@bp.route("/people", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, PersonOut(many=True))
@requires(READ)
def list_people(args: dict[str, int]) -> Any:
    """List people (scope: read)."""
    offset, limit = window(args)
    page = directory.list_people(_db(), caller().tenant_id, offset, limit)
    return paged(page, args, page.items)


@bp.route("/people", methods=["POST"])
@bp.arguments(PersonIn)
@bp.response(201, PersonOut)
@bp.alt_response(200, schema=PersonOut, description="an existing person, updated")
@requires(WRITE)
def import_person(data: directory.PersonInput) -> Any:
    """Create (201) or update (200) a person by `sub`, e.g. from an HRIS (scope: write)."""
    person, created = directory.import_person(_db(), caller().tenant_id, data)
    return person, 201 if created else 200


@bp.route("/people/<id:person_id>", methods=["GET"])
@bp.response(200, PersonOut)
@requires(READ)
def get_person(person_id: int) -> Any:
    """One person (scope: read)."""
    return directory.get_person(_db(), caller().tenant_id, person_id)


@bp.route("/people/<id:person_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def erase_person(person_id: int) -> None:
    """Erase a person with everything about them; syncs and launches do not re-create
    them, events and webhook deliveries naming them are deleted (scope: write)."""
    directory.erase_person(_db(), caller().tenant_id, person_id, services(current_app).cache)


@bp.route("/people/<id:person_id>/export", methods=["GET"])
@bp.response(200, ExportOut)
@requires(READ)
def export_person(person_id: int) -> Any:
    """Everything stored about a person as JSON, described by docs/person-export.schema.json:
    person, memberships, evidence with sources, levels, goals, readiness states, badges
    with their credentials, HRIS changes and the events naming them (scope: read)."""
    return person_export.export_person(_db(), caller().tenant_id, person_id)


@bp.route("/people/<id:person_id>/evidence", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, EvidenceOut(many=True))
@requires(READ)
def list_evidence(args: dict[str, int], person_id: int) -> Any:
    """A person's evidence, oldest observation first (scope: read)."""
    offset, limit = window(args)
    page = directory.list_evidence(_db(), caller().tenant_id, person_id, offset, limit)
    return paged(page, args, [evidence_json(e) for e in page.items])


@bp.route("/people/<id:person_id>/evidence", methods=["POST"])
@bp.arguments(EvidenceIn)
@bp.response(201, EvidenceOut)
@bp.alt_response(200, schema=EvidenceOut, description="the same source_ref, already recorded")
@requires(WRITE)
def add_evidence(data: directory.EvidenceInput, person_id: int) -> Any:
    """Record external evidence: endorsement, certification, peer review... (scope: write)."""
    evidence, created = directory.add_evidence(_db(), caller().tenant_id, person_id, data,
                                               request.headers.get(HEADER),
                                               services(current_app).settings,
                                               author_key_id=caller().key_id)
    return evidence_json(evidence), 201 if created else 200


@bp.route("/people/<id:person_id>/evidence/<id:evidence_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_evidence(person_id: int, evidence_id: int) -> None:
    """Delete evidence this API key recorded; other evidence is refused (403) (scope: write)."""
    directory.delete_evidence(_db(), caller().tenant_id, person_id, evidence_id,
                              caller().key_id)


@bp.route("/people/<id:person_id>/goals", methods=["GET"])
@bp.response(200, GoalsOut)
@requires(READ, widget=True)
def get_goals(person_id: int) -> Any:
    """A person's declared target roles (scope: read, or the person's widget token)."""
    found = directory.goals(_db(), caller().tenant_id, person_id)
    return {"person_id": person_id, "role_ids": [int(r) for r in found]}


@bp.route("/people/<id:person_id>/goals/<id:role_id>", methods=["PUT"])
@bp.response(200, GoalsOut)
@requires(WRITE)
def declare_goal(person_id: int, role_id: int) -> Any:
    """Declare a target role (idempotent) (scope: write)."""
    found = directory.set_goal(_db(), caller().tenant_id, person_id, role_id, True,
                               services(current_app).settings)
    return {"person_id": person_id, "role_ids": [int(r) for r in found]}


@bp.route("/people/<id:person_id>/goals/<id:role_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def withdraw_goal(person_id: int, role_id: int) -> None:
    """Withdraw a target role (scope: write)."""
    directory.set_goal(_db(), caller().tenant_id, person_id, role_id, False)


install(bp)
