"""The deep linking return URL: verifies the tool's response and places its links."""

from __future__ import annotations

from typing import Any

import jwt
from flask import Blueprint, render_template, request

from .launch import LTI
from .model import ResourceLink
from .platform import Platform, current_platform
from .state import SandboxError

bp = Blueprint("sandbox_deep_linking", __name__)
DL = "https://purl.imsglobal.org/spec/lti-dl/claim"


@bp.post("/deep_links/return")
def deep_link_return() -> str:
    """Verify an LtiDeepLinkingResponse and store its ltiResourceLink items in the course."""
    platform = current_platform()
    token = request.form.get("JWT")
    if not token:
        raise SandboxError("The form field JWT is required", 400, "invalid_request")
    claims = _verified(platform, token)
    course_id = _check_data(platform, claims)
    items = claims.get(f"{DL}/content_items") or []
    if not isinstance(items, list):
        raise SandboxError("content_items must be a list")
    with platform.state.lock:
        links = [
            _place(platform, course_id, claims["iss"], item)
            for item in items
            if isinstance(item, dict) and item.get("type") == "ltiResourceLink"
        ]
        course = platform.state.course(course_id)
        return render_template(
            "deep_link_done.html",
            course=course,
            links=links,
            message=claims.get(f"{DL}/msg") or claims.get(f"{DL}/errormsg"),
        )


def _verified(platform: Platform, token: str) -> dict[str, Any]:
    try:
        client_id = jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as exc:
        raise SandboxError(f"JWT is malformed: {exc}", 400, "invalid_request") from exc
    if not isinstance(client_id, str) or client_id not in platform.state.registrations:
        raise SandboxError(
            "The deep linking response's iss is not a registered client_id", 401, "invalid_client"
        )
    registration = platform.state.registration(client_id)
    claims = platform.tool_keys.verify(
        token, registration.jwks_url, platform.settings.issuer, issuer=client_id
    )
    if claims.get(f"{LTI}/claim/message_type") != "LtiDeepLinkingResponse":
        raise SandboxError("message_type must be LtiDeepLinkingResponse")
    if claims.get(f"{LTI}/claim/version") != "1.3.0":
        raise SandboxError("version must be 1.3.0")
    if claims.get(f"{LTI}/claim/deployment_id") not in registration.deployments:
        raise SandboxError("deployment_id is not a deployment of this tool")
    if not claims.get("nonce"):
        raise SandboxError("nonce is required")
    return claims


def _check_data(platform: Platform, claims: dict[str, Any]) -> str:
    """The course the request was for, from the echoed opaque `data`."""
    data = claims.get(f"{DL}/data")
    if not isinstance(data, str):
        raise SandboxError("data from the deep linking request must be echoed")
    payload = platform.load_hint(data)
    if "dl" not in payload or payload.get("k") != claims["iss"]:
        raise SandboxError("data does not belong to this tool's deep linking request")
    if payload.get("d") != claims.get(f"{LTI}/claim/deployment_id"):
        raise SandboxError("deployment_id differs from the deep linking request's")
    return str(payload["dl"])


def _place(
    platform: Platform, course_id: str, client_id: str, item: dict[str, Any]
) -> ResourceLink:
    title = item.get("title")
    url = item.get("url")
    custom = item.get("custom") or {}
    if not isinstance(title, str) or not title:
        raise SandboxError("each ltiResourceLink needs a title")
    if url is not None and not isinstance(url, str):
        raise SandboxError("url must be a string")
    if not isinstance(custom, dict):
        raise SandboxError("custom must be an object")
    link = ResourceLink(
        platform.state.next_id("link"),
        title,
        url,
        {str(k): str(v) for k, v in custom.items()},
        client_id=client_id,
    )
    platform.state.place_link(course_id, link)
    line_item = item.get("lineItem")
    if isinstance(line_item, dict):
        body = {"label": line_item.get("label") or title, **line_item, "resourceLinkId": link.id}
        link.line_item_id = platform.gradebook.create_line_item(course_id, body, client_id).id
    return link
