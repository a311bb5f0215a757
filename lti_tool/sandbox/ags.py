"""Assignment and Grade Services 2.0: line items, results and scores, Moodle-flavoured."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, request

from .access_tokens import require_scope
from .gradebook import LineItemFilter
from .launch import AGS_SCOPES, line_item_url
from .model import LineItem, Result
from .paging import check_params, decode_cursor, encode_cursor, link_header, page_url, parse_limit
from .platform import current_platform
from .state import SandboxError

bp = Blueprint("sandbox_ags", __name__, url_prefix="/api/courses/<course_id>/lineitems")
LINEITEM, LINEITEM_READ, RESULT_READ, SCORE = AGS_SCOPES
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
CONTAINER_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"


def _reply(
    body: Any, media_type: str, status: int = 200, links: dict[str, str] | None = None
) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=media_type)
    if links:
        response.headers["Link"] = link_header(links)
    return response


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise SandboxError("The request body must be a JSON object")
    return body


def line_item_json(course_id: str, item: LineItem) -> dict[str, Any]:
    """A line item as AGS JSON."""
    platform = current_platform()
    body: dict[str, Any] = {
        "id": line_item_url(platform, platform.state.course(course_id), item.id),
        "label": item.label,
        "scoreMaximum": item.score_maximum,
    }
    optional = {
        "resourceLinkId": item.resource_link_id,
        "resourceId": item.resource_id,
        "tag": item.tag,
        "startDateTime": item.start,
        "endDateTime": item.end,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    return body


def _base(course_id: str) -> str:
    return f"{current_platform().settings.issuer}/api/courses/{course_id}/lineitems"


@bp.get("")
@require_scope(LINEITEM, LINEITEM_READ)
def list_line_items(course_id: str) -> Response:
    """List line items, filtered by tag / resource_link_id / resource_id, paged by `limit`."""
    args = request.args
    check_params(
        args.keys(), {"tag", "resource_link_id", "resource_id", "limit", "page", "type_id"}
    )
    wanted = LineItemFilter(args.get("tag"), args.get("resource_link_id"), args.get("resource_id"))
    limit = parse_limit(args.get("limit"))
    offset = decode_cursor("li", args.get("page"))
    with current_platform().state.lock:
        items = current_platform().gradebook.line_items(course_id, wanted)
        page = [line_item_json(course_id, item) for item in items[offset : offset + limit]]
    links = {}
    if offset + limit < len(items):
        params = {
            "tag": wanted.tag,
            "resource_link_id": wanted.resource_link_id,
            "resource_id": wanted.resource_id,
            "limit": limit,
            "page": encode_cursor("li", offset + limit),
        }
        links["next"] = page_url(_base(course_id), params)
    return _reply(page, CONTAINER_TYPE, links=links)


@bp.post("")
@require_scope(LINEITEM)
def create_line_item(course_id: str) -> Response:
    """Create a line item (label and scoreMaximum required)."""
    platform = current_platform()
    item = platform.gradebook.create_line_item(course_id, _body())
    with platform.state.lock:
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE, status=201)


@bp.get("/<item_id>")
@require_scope(LINEITEM, LINEITEM_READ)
def get_line_item(course_id: str, item_id: str) -> Response:
    """One line item."""
    platform = current_platform()
    with platform.state.lock:
        item = platform.gradebook.line_item(course_id, item_id)
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE)


@bp.put("/<item_id>")
@require_scope(LINEITEM)
def update_line_item(course_id: str, item_id: str) -> Response:
    """Update a line item."""
    platform = current_platform()
    item = platform.gradebook.update_line_item(course_id, item_id, _body())
    with platform.state.lock:
        return _reply(line_item_json(course_id, item), LINEITEM_TYPE)


@bp.delete("/<item_id>")
@require_scope(LINEITEM)
def delete_line_item(course_id: str, item_id: str) -> Response:
    """Delete a line item."""
    current_platform().gradebook.delete_line_item(course_id, item_id)
    return Response(status=204)


def result_json(course_id: str, item_id: str, result: Result) -> dict[str, Any]:
    """A result as AGS JSON (no resultScore while ungraded)."""
    base = f"{_base(course_id)}/{item_id}"
    body: dict[str, Any] = {
        "id": f"{base}/results/{result.user_id}",
        "scoreOf": line_item_url(
            current_platform(), current_platform().state.course(course_id), item_id
        ),
        "userId": result.user_id,
        "resultMaximum": result.maximum,
    }
    if result.score is not None:
        body["resultScore"] = result.score
    if result.comment:
        body["comment"] = result.comment
    return body


@bp.get("/<item_id>/results")
@require_scope(RESULT_READ)
def list_results(course_id: str, item_id: str) -> Response:
    """One page of a line item's results (`limit`, `user_id`), with a `next` link."""
    args = request.args
    check_params(args.keys(), {"limit", "user_id", "page", "type_id"})
    limit = parse_limit(args.get("limit"))
    offset = decode_cursor("rs", args.get("page"))
    platform = current_platform()
    with platform.state.lock:
        results, more = platform.gradebook.results_page(
            course_id, item_id, offset, limit, args.get("user_id")
        )
        page = [result_json(course_id, item_id, r) for r in results]
    links = {}
    if more:
        params = {
            "type_id": args.get("type_id"),
            "limit": limit,
            "page": encode_cursor("rs", offset + limit),
        }
        links["next"] = page_url(f"{_base(course_id)}/{item_id}/results", params)
    return _reply(page, RESULTS_TYPE, links=links)


@bp.post("/<item_id>/scores")
@require_scope(SCORE)
def post_score(course_id: str, item_id: str) -> Response:
    """Accept a score with Moodle's rules (userId, later timestamp, both progress fields)."""
    current_platform().gradebook.record_score(course_id, item_id, _body())
    return Response(status=204)
