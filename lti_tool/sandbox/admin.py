"""Test and admin helpers under /_sandbox/ (JSON): build courses, people, grades quickly."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue

from .model import ROLE_URIS, ResourceLink, User
from .platform import Platform, current_platform
from .seed import generated_user, seed_load
from .state import SandboxError

bp = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")
MAX_BULK = 200_000


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise SandboxError("The request body must be a JSON object")
    return body


@bp.get("/stats")
def stats() -> ResponseReturnValue:
    """Request counts per endpoint kind and tokens issued."""
    return jsonify(current_platform().stats.as_json())


@bp.post("/stats/reset")
def reset_stats() -> ResponseReturnValue:
    """Zero the counters."""
    current_platform().stats.reset()
    return Response(status=204)


@bp.post("/keys/rotate")
def rotate_keys() -> ResponseReturnValue:
    """Add a platform key: {activate: true, retire_old: false}."""
    body = request.get_json(silent=True) or {}
    keys = current_platform().keys
    added = keys.rotate(bool(body.get("activate", True)), bool(body.get("retire_old", False)))
    return jsonify(kid=added.kid, active_kid=keys.active.kid, kids=[k.kid for k in keys.keys]), 201


@bp.post("/courses")
def create_course() -> ResponseReturnValue:
    """Create a course: {id, title, label, flavour}."""
    body = _body()
    course_id = str(body.get("id") or current_platform().state.next_id("course"))
    title = str(body.get("title") or course_id)
    course = current_platform().state.add_course(
        course_id, str(body.get("label") or course_id), title, str(body.get("flavour") or "moodle")
    )
    return jsonify(
        id=course.id, label=course.label, title=course.title, flavour=course.flavour
    ), 201


@bp.post("/courses/<course_id>/users")
def add_users(course_id: str) -> ResponseReturnValue:
    """Add people: {users: [{id, given_name, family_name, email, kind, mentees}]} or
    {generate: N, kind}; a `mentor`'s `mentees` (user ids) become its role_scope_mentor."""
    body, state = _body(), current_platform().state
    kind = str(body.get("kind", "learner"))
    if kind not in ROLE_URIS:
        raise SandboxError(f"kind must be one of {sorted(ROLE_URIS)}")
    with state.lock:
        state.course(course_id)
        start = len(state.courses[course_id].members)
        generated = [
            generated_user(course_id, start + i) for i in range(_bulk(body.get("generate", 0)))
        ]
        added = [_user(row) for row in body.get("users", [])]
        if any(r.get("mentees") and r.get("kind", kind) != "mentor" for r in body.get("users", [])):
            raise SandboxError("only a user of kind mentor has mentees")
        for row, user in zip(body.get("users", []), added, strict=True):
            state.enrol_many(course_id, [user], str(row.get("kind", kind)))
            if row.get("mentees"):
                state.set_mentees(course_id, user.id, [str(m) for m in row["mentees"]])
        state.enrol_many(course_id, generated, kind)
    return jsonify(
        added=len(added) + len(generated), user_ids=[u.id for u in [*added, *generated]][:1000]
    ), 201


def _user(row: dict[str, Any]) -> User:
    given, family = row.get("given_name"), row.get("family_name")
    if not given or not family:
        raise SandboxError("each user needs given_name and family_name")
    user_id = str(row.get("id") or current_platform().state.next_id("user"))
    return User(user_id, str(given), str(family), str(row.get("email") or f"{user_id}@example.edu"))


def _bulk(value: Any) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise SandboxError("generate must be a whole number") from None
    if not 0 <= count <= MAX_BULK:
        raise SandboxError(f"generate must be between 0 and {MAX_BULK}")
    return count


@bp.post("/courses/<course_id>/links")
def place_link(course_id: str) -> ResponseReturnValue:
    """Place a tool link: {id, title, url, custom, client_id, flavour, line_item_id}."""
    body, state = _body(), current_platform().state
    if not body.get("title"):
        raise SandboxError("title is required")
    link = ResourceLink(
        str(body.get("id") or state.next_id("link")),
        str(body["title"]),
        body.get("url"),
        {str(k): str(v) for k, v in (body.get("custom") or {}).items()},
        body.get("client_id"),
        body.get("flavour"),
        body.get("line_item_id"),
    )
    state.place_link(course_id, link)
    return jsonify(id=link.id, title=link.title), 201


@bp.post("/courses/<course_id>/lineitems")
def add_line_items(course_id: str) -> ResponseReturnValue:
    """Add line items: {line_items: [AGS line item JSON + client_id | native]} or {generate: N}.

    A row's `client_id` names the tool that owns it (default: the sandbox's own tool);
    `native` ("quiz", "assignment") adds a native activity instead, whose grade column
    (its id is returned) AGS never lists.
    """
    body, platform = _body(), current_platform()
    default_tool = platform.settings.client_id
    rows = list(body.get("line_items", []))
    rows += [
        {"label": f"Generated item {n + 1}", "scoreMaximum": 100}
        for n in range(_bulk(body.get("generate", 0)))
    ]
    return jsonify(ids=[_add_column(platform, course_id, row, default_tool)
                        for row in rows]), 201


def _add_column(platform: Platform, course_id: str, row: dict[str, Any], tool: str) -> str:
    """A tool's line item, or a native quiz's or assignment's grade column."""
    kind = row.get("native")
    if kind is None:
        return platform.gradebook.create_line_item(
            course_id, row, str(row.get("client_id") or tool)).id
    maximum = row.get("scoreMaximum")
    if kind not in ("quiz", "assignment") or isinstance(maximum, bool) or not isinstance(
            maximum, int | float) or maximum <= 0 or not str(row.get("label") or "").strip():
        raise SandboxError("a native row needs native quiz|assignment, label, scoreMaximum > 0")
    activity = platform.native.add_activity(course_id, str(row["label"]), kind,
                                            float(maximum))
    return str(activity.line_item_id)


@bp.post("/courses/<course_id>/results")
def set_results(course_id: str) -> ResponseReturnValue:
    """Set results: {results: [{line_item_id, user_id, score, comment}]}."""
    rows = _body().get("results", [])
    try:
        count = current_platform().gradebook.set_results(course_id, rows)
    except (KeyError, TypeError, ValueError) as exc:
        raise SandboxError(
            f"each result needs line_item_id, user_id and a numeric score: {exc}"
        ) from exc
    return jsonify(updated=count)


@bp.post("/courses/<course_id>/memberships/<user_id>")
def change_membership(course_id: str, user_id: str) -> ResponseReturnValue:
    """Change a membership: {status: Active|Inactive|Deleted, kind: learner|instructor|admin}."""
    body = _body()
    changed = current_platform().state.change_membership(
        course_id, user_id, body.get("status"), body.get("kind")
    )
    return jsonify(user_id=changed.user_id, status=changed.status, roles=changed.roles)


@bp.post("/load")
def load() -> ResponseReturnValue:
    """Seed a deterministic load course: {learners, line_items, course_id}."""
    body = _body()
    counts = seed_load(
        current_platform(),
        _bulk(body.get("learners", 1000)),
        _bulk(body.get("line_items", 20)),
        course_id=str(body.get("course_id", "load-course")),
    )
    return jsonify(counts), 201
