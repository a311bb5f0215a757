"""LTI 1.3 claim names and the checks each message type needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pylti1p3.exception import LtiException
from pylti1p3.message_validators import get_validators

from .errors import LaunchError

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
RESOURCE_LINK = LTI + "resource_link"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
TARGET_LINK_URI = LTI + "target_link_uri"
LAUNCH_PRESENTATION = LTI + "launch_presentation"
TOOL_PLATFORM = LTI + "tool_platform"
ROLE_SCOPE_MENTOR = LTI + "role_scope_mentor"  # the `sub`s a Mentor mentors (core 5.4.3)
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
SUPPORTED_MESSAGES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)

_CHECK_PLATFORM = "Check that the platform sends LTI 1.3 messages as the specification requires."


def check_message(body: Mapping[str, Any]) -> str:
    """Refuse a message whose type, version or required claims are wrong; its type if good."""
    message_type = body.get(MESSAGE_TYPE)
    if not message_type:
        raise LaunchError("The launch has no LTI message type.", _CHECK_PLATFORM)
    if message_type not in SUPPORTED_MESSAGES:
        raise LaunchError(f"CareerPath does not handle {message_type!s:.60} messages.",
                          "Place the tool as a resource link or through deep linking.")
    if VERSION not in body:
        raise LaunchError("The launch does not say which LTI version it uses.", _CHECK_PLATFORM)
    if body.get(VERSION) != "1.3.0":
        raise LaunchError(f"The launch uses LTI version {body.get(VERSION)!s:.20}, not 1.3.0.",
                          "Configure the tool as an LTI 1.3 (Advantage) tool in the LMS.")
    if not body.get(DEPLOYMENT_ID):
        raise LaunchError("The launch has no deployment id.", _CHECK_PLATFORM)
    if not isinstance(body.get(ROLES, []), list):
        raise LaunchError("The launch's roles claim is not a list.", _CHECK_PLATFORM)
    for validator in get_validators():
        if validator.can_validate(body):
            try:
                validator.validate(body)
            except LtiException as exc:
                raise LaunchError(f"The launch is incomplete: {exc}.", _CHECK_PLATFORM) from None
    return str(message_type)
