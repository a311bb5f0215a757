"""Canvas REST API over the native gradebook, in Canvas's shapes (instructure/canvas-lms):

- paging as `lib/api.rb` `Api.paginate`: `page`/`per_page` (default 10, max 100), a `Link`
  header of `<url>; rel="current|next|prev|first|last"` joined by "," (no space), the query
  kept except `page`, `per_page` and `access_token`;
- ids as `lib/api.rb` `SIS_MAPPINGS`: courses by `lti_context_id:`, users by `lti_1_3_id:`;
- errors as `app/controllers/application_controller.rb`: 401 `{"errors": [{"message":
  "Invalid access token."}]}` with `WWW-Authenticate: Bearer realm="canvas-lms"`, 404
  `{"errors": [{"message": "The specified resource does not exist."}]}`;
- bodies as `lib/api/v1/assignment.rb`, `lib/api/v1/submission.rb`,
  `lib/api/v1/context_module.rb` (the fields a tool reads);
- OAuth2 as `app/controllers/oauth2_provider_controller.rb`: `/login/oauth2/auth` (the
  sandbox's user approves at once) and `/login/oauth2/token`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, json, redirect, request
from flask.typing import ResponseReturnValue

from .native_course import ACCESS_LIFETIME, Activity, NativeCourse, Record, current_native

bp = Blueprint("sandbox_canvas_api", __name__)
DEFAULT_PER_PAGE, MAX_PER_PAGE = 10, 100
COURSE = "/api/v1/courses/<path:ref>"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def _error(status: int, message: str) -> Response:
    headers = {"WWW-Authenticate": 'Bearer realm="canvas-lms"'} if status == 401 else {}
    return _json({"errors": [{"message": message}]}, status, headers)


def _authorized() -> bool:
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else ""
    return bool(token) and current_native().canvas_token_valid(token)


def _paged(items: list[Any]) -> Response:
    """One page of `items` and Canvas's Link header."""
    try:
        page = max(int(request.args.get("page", 1)), 1)
        per_page = min(max(int(request.args.get("per_page", DEFAULT_PER_PAGE)), 1),
                       MAX_PER_PAGE)
    except ValueError:
        return _error(400, "Invalid page or per_page")
    last = max((len(items) + per_page - 1) // per_page, 1)
    kept = sorted((k, v) for k, v in request.args.items(multi=True)
                  if k not in {"page", "per_page", "access_token"})
    base = request.base_url + "?" + (urlencode(kept) + "&" if kept else "")
    links = {"current": page, "next": page + 1 if page < last else None,
             "prev": page - 1 if page > 1 else None, "first": 1, "last": last}
    header = ",".join(f'<{base}page={n}&per_page={per_page}>; rel="{rel}"'
                      for rel, n in links.items() if n)
    return _json(items[(page - 1) * per_page: page * per_page], headers={"Link": header})


def _iso(epoch: int | None) -> str | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def _course(ref: str) -> NativeCourse | Response:
    if not _authorized():
        return _error(401, "Invalid access token.")
    found = current_native().course_by_ref(ref)
    return found if found is not None else _error(404, "The specified resource does not exist.")


def _assignment(activity: Activity) -> dict[str, Any]:
    return {"id": activity.assignment_id, "name": activity.name,
            "points_possible": activity.points, "grading_type": "points",
            "submission_types": ["online_quiz"] if activity.kind == "quiz" else
            ["online_upload"], "quiz_id": activity.quiz_id,
            "is_quiz_assignment": activity.kind == "quiz", "published": True}


def _submission(activity: Activity, user_id: int, record: Record) -> dict[str, Any]:
    graded = record.score is not None
    state = "graded" if graded else "submitted" if record.submitted_at else "unsubmitted"
    return {"id": activity.assignment_id * 100000 + user_id,
            "assignment_id": activity.assignment_id, "user_id": user_id,
            "score": record.score, "grade": None if not graded else str(record.score),
            "graded_at": _iso(record.graded_at), "submitted_at": _iso(record.submitted_at),
            "workflow_state": state, "excused": False, "late": False, "missing": False}


@bp.get(f"{COURSE}/assignments")
def assignments(ref: str) -> ResponseReturnValue:
    current_native().count("canvas.assignments")
    course = _course(ref)
    if isinstance(course, Response):
        return course
    return _paged([_assignment(a) for a in course.activities if a.points is not None])


@bp.get(f"{COURSE}/students/submissions")
def submissions(ref: str) -> ResponseReturnValue:
    """The for_students listing, flat (not `grouped`), ordered by assignment then user."""
    native = current_native()
    native.count("canvas.submissions")
    course = _course(ref)
    if isinstance(course, Response):
        return course
    if "all" not in request.args.getlist("student_ids[]"):
        return _error(400, "student_ids[] is required (the sandbox serves only 'all')")
    found = []
    for activity in course.activities:
        if activity.points is None:
            continue
        for (activity_id, sub), record in sorted(course.records.items()):
            if activity_id == activity.id:
                found.append(_submission(activity, native.canvas_user_id(sub), record))
    return _paged(found)


def _module_items(course: NativeCourse, module_id: int, sub: str | None) -> list[dict]:
    items = []
    for a in (a for a in course.activities if a.module_id == module_id):
        kind = {"quiz": "Quiz", "assignment": "Assignment"}.get(a.kind, "Page")
        requirement: dict[str, Any] = {"type": "must_submit" if a.points else "must_view"}
        if sub is not None:
            record = course.records.get((a.id, sub))
            requirement["completed"] = bool(record and record.completed)
        items.append({"id": a.module_item_id, "module_id": module_id, "position": 1,
                      "title": a.name, "type": kind,
                      "content_id": a.quiz_id or a.assignment_id if a.points else a.id,
                      "completion_requirement": requirement})
    return items


def _student(course: NativeCourse) -> tuple[str | None, Response | None]:
    raw = request.args.get("student_id")
    if raw is None:
        return None, None
    sub = current_native().sub_of_canvas_user(int(raw)) if raw.isdigit() else None
    if sub is None:
        return None, _error(404, "The specified resource does not exist.")
    return sub, None


@bp.get(f"{COURSE}/modules")
def modules(ref: str) -> ResponseReturnValue:
    current_native().count("canvas.modules")
    course = _course(ref)
    if isinstance(course, Response):
        return course
    sub, refusal = _student(course)
    if refusal is not None:
        return refusal
    found = []
    for activity in course.activities:
        items = _module_items(course, activity.module_id, sub)
        body: dict[str, Any] = {"id": activity.module_id, "name": f"Week {activity.id}",
                                "position": activity.id, "items_count": len(items),
                                "items_url": f"{request.host_url.rstrip('/')}/api/v1/courses/"
                                             f"{course.canvas_id}/modules/{activity.module_id}"
                                             "/items"}
        if "items" in request.args.getlist("include[]"):
            body["items"] = items
        if sub is not None:
            done = all(i["completion_requirement"]["completed"] for i in items)
            record = course.records.get((activity.id, sub))
            body["state"] = "completed" if done else "unlocked"
            body["completed_at"] = _iso(record.completed_at) if done and record else None
        found.append(body)
    return _paged(found)


@bp.get(f"{COURSE}/modules/<int:module_id>/items")
def module_items(ref: str, module_id: int) -> ResponseReturnValue:
    current_native().count("canvas.module_items")
    course = _course(ref)
    if isinstance(course, Response):
        return course
    sub, refusal = _student(course)
    return refusal or _paged(_module_items(course, module_id, sub))


@bp.get("/api/v1/users/<path:ref>")
def user(ref: str) -> ResponseReturnValue:
    """A user by id or `lti_1_3_id:` (the LTI 1.3 sub, Canvas's `users.lti_id`)."""
    native = current_native()
    native.count("canvas.users")
    if not _authorized():
        return _error(401, "Invalid access token.")
    with native.lock:
        if ref.startswith("lti_1_3_id:"):
            sub: str | None = ref.split(":", 1)[1]
            user_id = native.canvas_users.get(sub or "")
        else:
            user_id = int(ref) if ref.isdigit() else None
            sub = native.sub_of_canvas_user(user_id) if user_id else None
    if user_id is None or sub is None:
        return _error(404, "The specified resource does not exist.")
    return _json({"id": user_id, "name": f"User {user_id}", "lti_id": sub})


@bp.get("/login/oauth2/auth")
def oauth_authorize() -> ResponseReturnValue:
    """The user (the sandbox's instructor) approves at once; back to redirect_uri."""
    native = current_native()
    if request.args.get("client_id") not in native.developer_keys:
        return _json({"error": "invalid_client", "error_description": "unknown client"}, 401)
    if request.args.get("response_type") != "code" or not request.args.get("redirect_uri"):
        return _json({"error": "invalid_request"}, 400)
    code = native.issue_code(request.args.get("user", "sandbox-instructor"))
    query = urlencode({"code": code, "state": request.args.get("state", "")})
    return redirect(f"{request.args['redirect_uri']}?{query}", 302)


@bp.post("/login/oauth2/token")
def oauth_token() -> ResponseReturnValue:
    native = current_native()
    native.count("canvas.oauth_token")
    form = request.form
    if native.developer_keys.get(form.get("client_id", "")) != form.get("client_secret"):
        return _json({"error": "invalid_client", "error_description": "unknown client"}, 401)
    with native.lock:
        if form.get("grant_type") == "authorization_code":
            grant = native.codes.pop(form.get("code", ""), None)
            if grant is None:
                return _json({"error": "invalid_grant",
                              "error_description": "authorization_code not found"}, 400)
            native.refresh_tokens[grant.refresh_token] = grant
            extra = {"refresh_token": grant.refresh_token}
        elif form.get("grant_type") == "refresh_token":
            grant = native.refresh_tokens.get(form.get("refresh_token", ""))
            if grant is None:
                return _json({"error": "invalid_grant",
                              "error_description": "refresh_token not found"}, 400)
            extra = {}
        else:
            return _json({"error": "unsupported_grant_type"}, 400)
    access = native.issue_access(grant.refresh_token)
    return _json({"access_token": access, "token_type": "Bearer",
                  "user": {"id": native.canvas_user_id(grant.user_sub), "name": "Instructor"},
                  "expires_in": ACCESS_LIFETIME, **extra})


@bp.post("/_sandbox/native/revoke")
def revoke() -> ResponseReturnValue:
    """Revoke a token as an LMS admin would ({"token": ...}, or {"all_access": true})."""
    body = request.get_json(force=True, silent=True) or {}
    native = current_native()
    if body.get("all_refresh"):
        with native.lock:
            native.refresh_tokens.clear()
        return _json({"revoked": True})
    return _json({"revoked": native.revoke(str(body.get("token", "")))})


@bp.post("/_sandbox/native/faults")
def add_fault() -> ResponseReturnValue:
    """Arm a malformed answer: {path, skip, count} (after `skip` matching requests)."""
    body = request.get_json(force=True, silent=True) or {}
    fault = {"path": str(body.get("path") or "/"), "skip": int(body.get("skip", 0)),
             "count": max(int(body.get("count", 1)), 1)}
    native = current_native()
    with native.lock:
        native.faults.append(fault)
    return _json(fault, 201)


@bp.post("/_sandbox/native/expire")
def expire() -> ResponseReturnValue:
    """Let every OAuth2 access token expire now (refresh tokens stay)."""
    current_native().expire_access_tokens()
    return _json({"expired": True})


@bp.get("/_sandbox/native/stats")
def stats() -> ResponseReturnValue:
    native = current_native()
    with native.lock:
        return _json({"requests": dict(native.requests)})
