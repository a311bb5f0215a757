"""What a launch is (the lti_message_hint) and the id_token claims it produces."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from .flavours import flavour_named
from .model import (
    DEEP_LINKING_REQUEST,
    RESOURCE_LINK_REQUEST,
    Course,
    Registration,
    ResourceLink,
    User,
)
from .platform import Platform
from .state import SandboxError

LTI = "https://purl.imsglobal.org/spec/lti"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ID_TOKEN_LIFETIME = 300


@dataclass(frozen=True)
class LaunchIntent:
    """One launch: who, where, which link and message type, through which registration."""

    course_id: str
    link_id: str | None
    message_type: str
    user_id: str
    client_id: str
    deployment_id: str

    def hint(self, platform: Platform) -> str:
        """The opaque lti_message_hint for this launch."""
        return platform.dump_hint(
            {
                "c": self.course_id,
                "l": self.link_id,
                "m": self.message_type,
                "u": self.user_id,
                "k": self.client_id,
                "d": self.deployment_id,
            }
        )

    @classmethod
    def from_hint(cls, platform: Platform, value: str) -> LaunchIntent:
        """Decode a hint made by `hint`."""
        data = platform.load_hint(value)
        try:
            return cls(data["c"], data["l"], data["m"], data["u"], data["k"], data["d"])
        except KeyError:
            raise SandboxError("lti_message_hint is malformed") from None


def plan_launch(
    platform: Platform,
    course_id: str,
    link_id: str | None,
    user_id: str,
    client_id: str | None = None,
) -> LaunchIntent:
    """Check a launch request from the course page and describe it."""
    course = platform.state.course(course_id)
    if course.member(user_id) is None:
        raise SandboxError(f"{user_id!r} is not a member of {course.title}", 403, "forbidden")
    link = platform.state.link(course_id, link_id) if link_id else None
    chosen = client_id or (link.client_id if link else None) or platform.settings.client_id
    registration = platform.state.registration(chosen)
    if not registration.deployments:
        raise SandboxError(
            f"Tool {chosen!r} is registered but not deployed yet", 409, "not_deployed"
        )
    message = RESOURCE_LINK_REQUEST if link else DEEP_LINKING_REQUEST
    return LaunchIntent(course_id, link_id, message, user_id, chosen, registration.deployments[-1])


def target_link_uri(registration: Registration, link: ResourceLink | None) -> str:
    """Where the launch goes: the link's own URL, else the tool's launch or deep-link URL."""
    if link is None:
        return registration.deep_link_url or registration.launch_url
    return link.url or registration.launch_url


def id_token_claims(platform: Platform, intent: LaunchIntent, nonce: str) -> dict[str, Any]:
    """Every claim of the id_token for `intent`."""
    state = platform.state
    course, user = state.course(intent.course_id), state.user(intent.user_id)
    registration = state.registration(intent.client_id)
    link = state.link(course.id, intent.link_id) if intent.link_id else None
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": platform.settings.issuer,
        "sub": user.id,
        "aud": registration.client_id,
        "azp": registration.client_id,
        "exp": now + ID_TOKEN_LIFETIME,
        "iat": now,
        "nonce": nonce,
        **_person(user),
        f"{LTI}/claim/message_type": intent.message_type,
        f"{LTI}/claim/version": "1.3.0",
        f"{LTI}/claim/deployment_id": intent.deployment_id,
        f"{LTI}/claim/target_link_uri": target_link_uri(registration, link),
        f"{LTI}/claim/roles": list(course.members[user.id].roles),
        f"{LTI}/claim/context": _context(course),
        f"{LTI}/claim/tool_platform": _tool_platform(platform, course, link),
        f"{LTI}/claim/launch_presentation": _presentation(platform, course),
        f"{LTI}/claim/lis": {
            "person_sourcedid": f"sis-{user.id}",
            "course_section_sourcedid": f"sis-{course.id}",
        },
        AGS_CLAIM: _ags(platform, course, link, registration),
        NRPS_CLAIM: {
            "context_memberships_url": flavour_named(registration.flavour).memberships_url(
                platform.settings.issuer, course.id, registration.type_id),
            "service_versions": ["2.0"],
        },
    }
    if not registration.grade_sync:
        del claims[AGS_CLAIM]
    mentees = course.members[user.id].mentees
    if mentees:  # LTI 1.3 core 5.4.3: the `sub`s a Mentor may see, only with that role
        claims[f"{LTI}/claim/role_scope_mentor"] = list(mentees)
    if link is not None:
        claims[f"{LTI}/claim/resource_link"] = {"id": link.id, "title": link.title}
        claims[f"{LTI}/claim/custom"] = dict(link.custom)
    else:
        claims[DL_CLAIM] = _deep_linking_settings(platform, intent)
    return claims


def _person(user: User) -> dict[str, str]:
    return {
        "name": user.name,
        "given_name": user.given_name,
        "family_name": user.family_name,
        "email": user.email,
    }


def _context(course: Course) -> dict[str, Any]:
    return {
        "id": course.id,
        "label": course.label,
        "title": course.title,
        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
    }


def _tool_platform(platform: Platform, course: Course, link: ResourceLink | None) -> dict[str, str]:
    flavour = (link.flavour if link else None) or course.flavour
    return {
        "guid": f"sandbox-{flavour}",
        "name": platform.settings.platform_name,
        "product_family_code": flavour,
        "version": "sandbox-1",
        "url": platform.settings.issuer,
    }


def _presentation(platform: Platform, course: Course) -> dict[str, str]:
    return {
        "document_target": "iframe",
        "locale": course.locale,
        "return_url": f"{platform.settings.issuer}/courses/{course.id}",
    }


def line_item_url(platform: Platform, course: Course, item_id: str,
                  registration: Registration) -> str:
    """A line item's URL as the registration's platform writes it (Moodle: `?type_id=N`)."""
    return flavour_named(registration.flavour).line_item_url(
        platform.settings.issuer, course.id, item_id, registration.type_id)


def _ags(platform: Platform, course: Course, link: ResourceLink | None,
         registration: Registration) -> dict[str, Any]:
    claim: dict[str, Any] = {
        "scope": list(AGS_SCOPES),
        "lineitems": flavour_named(registration.flavour).lineitems_url(
            platform.settings.issuer, course.id, registration.type_id),
    }
    if link is not None and link.line_item_id and link.line_item_id in course.line_items:
        claim["lineitem"] = line_item_url(platform, course, link.line_item_id, registration)
    return claim


def _deep_linking_settings(platform: Platform, intent: LaunchIntent) -> dict[str, Any]:
    data = platform.dump_hint(
        {"dl": intent.course_id, "k": intent.client_id, "d": intent.deployment_id}
    )
    return {
        "deep_link_return_url": f"{platform.settings.issuer}/deep_links/return",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": True,
        "auto_create": True,
        "title": "Add CareerPath content",
        "data": data,
    }
