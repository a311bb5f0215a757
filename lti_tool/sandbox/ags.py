"""Assignment and Grade Services 2.0: line items, results and scores, as each flavour does.

The same views answer every flavour's paths (generic `/api/courses/<c>/lineitems/<i>`,
Moodle `/mod/lti/services.php/<c>/lineitems/<i>/lineitem?type_id=N`, Canvas
`/api/lti/courses/<c>/line_items/<i>`); the calling tool's registration decides the ids,
paging, Link headers and media types of the answer (see flavours.py), and which line
items it may see: its own, never a native activity's column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, json, request

from .access_tokens import caller, require_scope
from .flavours import MOODLE_SERVICES, Generic, flavour_named
from .gradebook import LineItemFilter
from .launch import AGS_SCOPES
from .model import LineItem, Registration, Result
from .paging import check_params
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_ags", __name__)
LINEITEM, LINEITEM_READ, RESULT_READ, SCORE = AGS_SCOPES
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
# (container, item, results, scores) paths of each flavour
_PATHS = (
    ("/api/courses/<course_id>/lineitems", "/api/courses/<course_id>/lineitems/<item_id>",
     "/results", "/scores"),
    (f"{MOODLE_SERVICES}/<course_id>/lineitems",
     f"{MOODLE_SERVICES}/<course_id>/lineitems/<item_id>/lineitem", "/results", "/scores"),
    ("/api/lti/courses/<course_id>/line_items", "/api/lti/courses/<course_id>/line_items/<item_id>",
     "/results", "/scores"),
)


def _route(kind: int, suffix: str = "", **options: Any) -> Callable[[Any], Any]:
    """Register a view under the path `kind` (0 container, 1 item) + suffix of every flavour."""

    def decorate(view: Any) -> Any:
        for paths in _PATHS:
            bp.add_url_rule(paths[kind] + suffix, view_func=view, **options)
        return view

    return decorate


def _flavour() -> tuple[Generic, Registration]:
    registration = caller()
    return flavour_named(registration.flavour), registration


def _reply(body: Any, media_type: str, status: int = 200, link: str | None = None) -> Response:
    flavour, _ = _flavour()
    response = Response(json.dumps(body), status=status,
                        content_type=flavour.content_type(media_type))
    if link:
        response.headers["Link"] = link
    return response


def _here() -> str:
    """This request's URL without its query, on the platform's own base URL."""
    return f"{current_platform().settings.issuer}{request.path}"


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise SandboxError("The request body must be a JSON object")
    return body


def line_item_json(course_id: str, item: LineItem) -> dict[str, Any]:
    """A line item as the caller's platform writes it."""
    flavour, registration = _flavour()
    issuer = current_platform().settings.issuer
    body: dict[str, Any] = {
        "id": flavour.line_item_url(issuer, course_id, item.id, registration.type_id),
        "label": item.label,
        "scoreMaximum": item.score_maximum,
    }
    optional = {"resourceLinkId": item.resource_link_id, "resourceId": item.resource_id,
                "tag": item.tag, "startDateTime": item.start, "endDateTime": item.end}
    if flavour.name == "moodle":
        # gradebookservices.php item_for_json: resourceId and tag always ('' when unset),
        # the link id twice (resourceLinkId and the LTI 1.x-era ltiLinkId)
        optional.update(resourceId=item.resource_id or "", tag=item.tag or "")
        if item.resource_link_id:
            optional["ltiLinkId"] = item.resource_link_id
    body.update({k: v for k, v in optional.items() if v is not None})
    return body


@_route(0, methods=["GET"], endpoint="list_line_items")
@require_scope(LINEITEM, LINEITEM_READ)
def list_line_items(course_id: str) -> Response:
    """The caller's line items, filtered by tag / resource_link_id / resource_id, paged."""
    flavour, registration = _flavour()
    args = request.args
    check_params(args.keys(), {"tag", "resource_link_id", "resource_id", "type_id",
                               *flavour.paging_params})
    wanted = LineItemFilter(args.get("tag"), args.get("resource_link_id"), args.get("resource_id"))
    window = flavour.window(args, "li")
    with current_platform().state.lock:
        items = current_platform().gradebook.line_items(course_id, wanted, registration.client_id)
        page = [line_item_json(course_id, item) for item in items[window.offset:
                                                                  window.end(len(items))]]
    base = _here()
    return _reply(page, CONTAINER_TYPE, link=flavour.links(base, dict(args), window, len(items),
                                                           "li"))


@_route(0, methods=["POST"], endpoint="create_line_item")
@require_scope(LINEITEM)
def create_line_item(course_id: str) -> Response:
    """Create a line item owned by the calling tool (label and scoreMaximum required)."""
    platform, (_, registration) = current_platform(), _flavour()
    item = platform.gradebook.create_line_item(course_id, _body(), registration.client_id)
    with platform.state.lock:
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE, status=201)


@_route(1, methods=["GET"], endpoint="get_line_item")
@require_scope(LINEITEM, LINEITEM_READ)
def get_line_item(course_id: str, item_id: str) -> Response:
    """One of the caller's line items."""
    platform, (_, registration) = current_platform(), _flavour()
    with platform.state.lock:
        item = platform.gradebook.tool_line_item(course_id, item_id, registration.client_id)
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE)


@_route(1, methods=["PUT"], endpoint="update_line_item")
@require_scope(LINEITEM)
def update_line_item(course_id: str, item_id: str) -> Response:
    """Update one of the caller's line items."""
    platform, (_, registration) = current_platform(), _flavour()
    platform.gradebook.tool_line_item(course_id, item_id, registration.client_id)
    item = platform.gradebook.update_line_item(course_id, item_id, _body())
    with platform.state.lock:
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE)


@_route(1, methods=["DELETE"], endpoint="delete_line_item")
@require_scope(LINEITEM)
def delete_line_item(course_id: str, item_id: str) -> Response:
    """Delete one of the caller's line items."""
    platform, (_, registration) = current_platform(), _flavour()
    platform.gradebook.tool_line_item(course_id, item_id, registration.client_id)
    platform.gradebook.delete_line_item(course_id, item_id)
    return Response(status=204)


def result_json(course_id: str, item_id: str, result: Result) -> dict[str, Any]:
    """A result as the caller's platform writes it (no resultScore while ungraded)."""
    flavour, registration = _flavour()
    issuer, type_id = current_platform().settings.issuer, registration.type_id
    item_url = flavour.line_item_url(issuer, course_id, item_id, type_id)
    results_url = flavour.results_url(issuer, course_id, item_id, type_id)
    body: dict[str, Any] = {"id": flavour.result_id(item_url, results_url, result.user_id,
                                                    type_id), "userId": result.user_id}
    if flavour.name == "moodle":
        # gradebookservices.php result_for_json: everything but id and userId sits inside
        # `if (!empty($grade->finalgrade))`, so a grade of 0 looks exactly like no grade
        if result.score:
            body.update(resultScore=result.score, resultMaximum=result.maximum,
                        scoreOf=item_url, timestamp=result.timestamp)
            if result.comment:
                body["comment"] = result.comment
        return body
    body.update(scoreOf=item_url, resultMaximum=result.maximum)
    if result.score is not None:
        body["resultScore"] = result.score
    if result.comment:
        body["comment"] = result.comment
    if flavour.name == "generic" and result.timestamp:
        body["timestamp"] = result.timestamp  # Canvas's results_serializer.rb writes none
    return body


@_route(1, "/results", methods=["GET"], endpoint="list_results")
@require_scope(RESULT_READ)
def list_results(course_id: str, item_id: str) -> Response:
    """One page of a line item's results (`limit`, `user_id`), with the flavour's links."""
    flavour, registration = _flavour()
    args = request.args
    check_params(args.keys(), {"user_id", "type_id", *flavour.paging_params})
    window = flavour.window(args, "rs")
    platform = current_platform()
    with platform.state.lock:
        platform.gradebook.tool_line_item(course_id, item_id, registration.client_id)
        results, total = platform.gradebook.results_window(
            course_id, item_id, window.offset, window.limit, args.get("user_id"))
        page = [result_json(course_id, item_id, r) for r in results]
    return _reply(page, RESULTS_TYPE, link=flavour.links(_here(), dict(args), window,
                                                         total, "rs"))


@_route(1, "/scores", methods=["POST"], endpoint="post_score")
@require_scope(SCORE)
def post_score(course_id: str, item_id: str) -> Response:
    """Accept a score with Moodle's rules (userId, later timestamp, both progress fields)."""
    platform, (_, registration) = current_platform(), _flavour()
    platform.gradebook.tool_line_item(course_id, item_id, registration.client_id)
    platform.gradebook.record_score(course_id, item_id, _body())
    return Response(status=204)
