"""Names and Role Provisioning Services 2.0: paged memberships with a differences link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, request

from .access_tokens import caller, require_scope
from .flavours import MOODLE_SERVICES, flavour_named
from .launch import NRPS_SCOPE
from .model import Course, Membership
from .paging import check_params, decode_cursor, encode_cursor, page_url
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_nrps", __name__)


def _role_matches(wanted: str, roles: list[str]) -> bool:
    """Whether a `role` filter (full URI or short name like Learner) names one of `roles`."""
    return any(role == wanted or role.rsplit("#", 1)[-1] == wanted for role in roles)


def _here() -> str:
    """This request's URL without its query, on the platform's own base URL."""
    return f"{current_platform().settings.issuer}{request.path}"


def _selected(
    course: Course, role: str | None, rlid: str | None, since: int | None
) -> list[Membership]:
    if rlid is not None and rlid not in course.links:
        raise SandboxError(f"rlid {rlid!r} is not a link in this course", 404, "not_found")
    chosen = []
    for membership in course.members.values():
        if not membership.in_context:
            continue
        if since is None and membership.status == "Deleted":
            continue
        if since is not None and membership.changed_seq <= since:
            continue
        if role is not None and not _role_matches(role, membership.roles):
            continue
        chosen.append(membership)
    return chosen


def member_json(membership: Membership) -> dict[str, Any]:
    """A member as NRPS JSON."""
    user = current_platform().state.users[membership.user_id]
    return {
        "user_id": user.id,
        "roles": list(membership.roles),
        "status": membership.status,
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
        "lis_person_sourcedid": f"sis-{user.id}",
    }


@bp.get("/api/courses/<course_id>/memberships")
@bp.get(f"{MOODLE_SERVICES}/CourseSection/<course_id>/bindings/<int:type_id>/memberships")
@bp.get("/api/lti/courses/<course_id>/names_and_roles")
@require_scope(NRPS_SCOPE)
def memberships(course_id: str, type_id: int | None = None) -> Response:
    """One page of members (`limit`, `role`, `rlid`; generic also `since`), with the
    caller's platform's paging links; only generic adds a differences link."""
    registration = caller()
    flavour = flavour_named(registration.flavour)
    args = request.args
    check_params(args.keys(), {"role", "rlid", *flavour.nrps_paging_params})
    window = flavour.window(args, "Mb")
    since = decode_cursor("Since", args["since"]) if "since" in args else None
    platform = current_platform()
    with platform.state.lock:
        course = platform.state.course(course_id)
        chosen = _selected(course, args.get("role"), args.get("rlid"), since)
        body = {
            "id": request.url,
            "context": {"id": course.id, "label": course.label, "title": course.title},
            "members": [member_json(m) for m in chosen[window.offset:window.end(len(chosen))]],
        }
        seq = platform.state.membership_seq
    filters = {"role": args.get("role"), "rlid": args.get("rlid"), "since": args.get("since")}
    links = [flavour.links(_here(), {**filters, **dict(args)}, window, len(chosen),
                           "Mb")]
    if flavour.has_differences and window.end(len(chosen)) >= len(chosen):
        differences = {"role": args.get("role"), "rlid": args.get("rlid"),
                       "since": encode_cursor("Since", seq)}
        links.append(f'<{page_url(_here(), differences)}>; rel="differences"')
    response = Response(json.dumps(body), content_type=flavour.content_type(
        flavour.memberships_type))
    if any(links):
        response.headers["Link"] = ", ".join(link for link in links if link)
    return response
