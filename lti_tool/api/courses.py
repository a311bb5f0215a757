"""/api/v1/courses: courses, members, LMS items, evidence rules and cohort readiness."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from ..bootstrap import services
from ..usecases import catalogue_edits
from ..usecases import course_mapping as mapping
from .callers import READ, WRITE, caller, requires
from .pagination import paged, window
from .representations import rule_json
from .request_cycle import install
from .schemas.common import PageArgs
from .schemas.courses import (
    CohortOut,
    CourseIn,
    CourseOut,
    LmsItemIn,
    LmsItemOut,
    MemberIn,
    MemberOut,
    RuleIn,
    RuleOut,
)

bp = Blueprint("courses", __name__, description="Courses, LMS items and evidence rules")


def _db() -> Any:
    return services(current_app).database


@bp.route("/courses", methods=["GET"])
@bp.arguments(PageArgs, location="query")
@bp.response(200, CourseOut(many=True))
@requires(READ)
def list_courses(args: dict[str, int]) -> Any:
    """List courses (scope: read)."""
    offset, limit = window(args)
    page = mapping.list_courses(_db(), caller().tenant_id, offset, limit)
    return paged(page, args, page.items)


@bp.route("/courses", methods=["POST"])
@bp.arguments(CourseIn)
@bp.response(201, CourseOut)
@requires(WRITE)
def create_course(data: dict[str, Any]) -> Any:
    """Create a course outside any LMS registration, by context id (scope: write)."""
    return mapping.create_course(_db(), caller().tenant_id, data["context_id"], data["title"],
                                 data["label"])


@bp.route("/courses/<id:course_id>", methods=["GET"])
@bp.response(200, CourseOut)
@requires(READ)
def get_course(course_id: int) -> Any:
    """One course (scope: read)."""
    return mapping.get_course(_db(), caller().tenant_id, course_id)


@bp.route("/courses/<id:course_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_course(course_id: int) -> None:
    """Delete a course whose items have no evidence (scope: write)."""
    mapping.delete_course(_db(), caller().tenant_id, course_id)


@bp.route("/courses/<id:course_id>/members", methods=["GET"])
@bp.response(200, MemberOut(many=True))
@requires(READ)
def list_members(course_id: int) -> Any:
    """The course's memberships (scope: read)."""
    return mapping.members(_db(), caller().tenant_id, course_id)


@bp.route("/courses/<id:course_id>/members/<id:person_id>", methods=["PUT"])
@bp.arguments(MemberIn)
@bp.response(200, MemberOut)
@requires(WRITE)
def enrol(data: dict[str, Any], course_id: int, person_id: int) -> Any:
    """Add or update a person's membership of the course (scope: write)."""
    return mapping.enrol(_db(), caller().tenant_id, course_id, person_id, data["roles"],
                         data["status"])


@bp.route("/courses/<id:course_id>/items", methods=["GET"])
@bp.response(200, LmsItemOut(many=True))
@requires(READ)
def list_items(course_id: int) -> Any:
    """The course's LMS items (scope: read)."""
    return mapping.list_items(_db(), caller().tenant_id, course_id)


@bp.route("/courses/<id:course_id>/items", methods=["POST"])
@bp.arguments(LmsItemIn)
@bp.response(201, LmsItemOut)
@requires(WRITE)
def upsert_item(data: mapping.LmsItemInput, course_id: int) -> Any:
    """Create or update an LMS item by (kind, lms_id) (scope: write)."""
    return mapping.upsert_item(_db(), caller().tenant_id, course_id, data)


@bp.route("/courses/<id:course_id>/items/<id:item_id>", methods=["GET"])
@bp.response(200, LmsItemOut)
@requires(READ)
def get_item(course_id: int, item_id: int) -> Any:
    """One LMS item (scope: read)."""
    return mapping.get_item(_db(), caller().tenant_id, course_id, item_id)


@bp.route("/courses/<id:course_id>/items/<id:item_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_item(course_id: int, item_id: int) -> None:
    """Delete an LMS item without evidence, and its rules (scope: write)."""
    mapping.delete_item(_db(), caller().tenant_id, course_id, item_id)


@bp.route("/courses/<id:course_id>/rules", methods=["GET"])
@bp.response(200, RuleOut(many=True))
@requires(READ)
def list_rules(course_id: int) -> Any:
    """The evidence rules mapping the course's items to levels (scope: read)."""
    return [rule_json(r) for r in mapping.list_rules(_db(), caller().tenant_id, course_id)]


@bp.route("/courses/<id:course_id>/rules", methods=["POST"])
@bp.arguments(RuleIn)
@bp.response(201, RuleOut)
@requires(WRITE)
def create_rule(data: mapping.RuleInput, course_id: int) -> Any:
    """Map an LMS item to a competency level under a condition (scope: write)."""
    return rule_json(mapping.create_rule(_db(), caller().tenant_id, course_id, data))


@bp.route("/courses/<id:course_id>/rules/<id:rule_id>", methods=["GET"])
@bp.response(200, RuleOut)
@requires(READ)
def get_rule(course_id: int, rule_id: int) -> Any:
    """One evidence rule (scope: read)."""
    return rule_json(mapping.get_rule(_db(), caller().tenant_id, course_id, rule_id))


@bp.route("/courses/<id:course_id>/rules/<id:rule_id>", methods=["PUT"])
@bp.arguments(RuleIn)
@bp.response(200, RuleOut)
@requires(WRITE)
def update_rule(data: mapping.RuleInput, course_id: int, rule_id: int) -> Any:
    """Replace an evidence rule's item, competency, level and condition (scope: write)."""
    return rule_json(catalogue_edits.update_rule(_db(), caller().tenant_id, course_id, rule_id,
                                                 data))


@bp.route("/courses/<id:course_id>/rules/<id:rule_id>", methods=["DELETE"])
@bp.response(204)
@requires(WRITE)
def delete_rule(course_id: int, rule_id: int) -> None:
    """Delete an evidence rule (scope: write)."""
    mapping.delete_rule(_db(), caller().tenant_id, course_id, rule_id)


@bp.route("/courses/<id:course_id>/readiness/<id:role_id>", methods=["GET"])
@bp.response(200, CohortOut)
@requires(READ)
def cohort_readiness(course_id: int, role_id: int) -> Any:
    """How the course's active learners are spread in readiness for a role (scope: read)."""
    found = mapping.cohort_readiness(_db(), caller().tenant_id, course_id, role_id)
    return {"course_id": course_id, "role_id": role_id, "total": found.total,
            "ready": found.ready, "mean": found.mean, "median": found.median,
            "bins": list(found.bins)}


install(bp)
