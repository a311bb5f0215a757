"""Names and Role Provisioning Services 2.0: paged memberships with a differences link."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, request

from .access_tokens import require_scope
from .launch import NRPS_SCOPE
from .model import Course, Membership
from .paging import check_params, decode_cursor, encode_cursor, link_header, page_url, parse_limit
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_nrps", __name__)
MEMBERSHIPS_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


def _role_matches(wanted: str, roles: list[str]) -> bool:
    """Whether a `role` filter (full URI or short name like Learner) names one of `roles`."""
    return any(role == wanted or role.rsplit("#", 1)[-1] == wanted for role in roles)


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
@require_scope(NRPS_SCOPE)
def memberships(course_id: str) -> Response:
    """One page of members (`limit`, `role`, `rlid`, `since`), with Next and differences links."""
    args = request.args
    check_params(args.keys(), {"limit", "role", "rlid", "since", "pageToken"})
    limit = parse_limit(args.get("limit"))
    offset = decode_cursor("Mb", args.get("pageToken"))
    since = decode_cursor("Since", args["since"]) if "since" in args else None
    platform = current_platform()
    with platform.state.lock:
        course = platform.state.course(course_id)
        chosen = _selected(course, args.get("role"), args.get("rlid"), since)
        body = {
            "id": request.url,
            "context": {"id": course.id, "label": course.label, "title": course.title},
            "members": [member_json(m) for m in chosen[offset : offset + limit]],
        }
        seq = platform.state.membership_seq
    base = f"{platform.settings.issuer}/api/courses/{course_id}/memberships"
    filters = {"role": args.get("role"), "rlid": args.get("rlid"), "since": args.get("since")}
    links = {}
    if offset + limit < len(chosen):
        links["Next"] = page_url(
            base, {**filters, "limit": limit, "pageToken": encode_cursor("Mb", offset + limit)}
        )
    else:
        differences = {
            "role": args.get("role"),
            "rlid": args.get("rlid"),
            "since": encode_cursor("Since", seq),
        }
        links["differences"] = page_url(base, differences)
    response = Response(json.dumps(body), mimetype=MEMBERSHIPS_TYPE)
    response.headers["Link"] = link_header(links)
    return response
