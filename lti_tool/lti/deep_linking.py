"""Deep Linking 2.0: the signed LtiDeepLinkingResponse that places widgets in a course."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from pylti1p3.registration import Registration

from ..config import LOOPBACK_HOSTS
from .errors import LaunchError
from .keys import SigningKey

READINESS_SCORE_MAXIMUM = 100
READINESS_TAG = "careerpath-readiness"


@dataclass(frozen=True)
class AssessedActivity:
    """A kind of CareerPath activity graded in the LMS gradebook through its own line item."""

    key: str
    title: str
    tag: str
    score_maximum: float


# What real courses grade through AGS: the tool's own line items. The three steps of
# validation in the domain (learning → applied project → endorsement) need an assessment,
# a checkpoint and an applied project; graders grade them in the LMS gradebook.
ASSESSED_ACTIVITIES = {a.key: a for a in (
    AssessedActivity("applied_project", "Applied project", "careerpath-applied-project", 100),
    AssessedActivity("checkpoint", "Checkpoint", "careerpath-checkpoint", 10),
    AssessedActivity("assessment", "Assessment", "careerpath-assessment", 100),
)}


@dataclass(frozen=True)
class Placement:
    """One widget the instructor chose to place, optionally for one target role; with
    `activity`, an assessed activity carrying its own line item."""

    widget: str
    title: str
    target_role_id: str = ""
    with_line_item: bool = False
    activity: str = ""


def content_items(placements: Sequence[Placement], launch_url: str) -> list[DeepLinkResource]:
    """`ltiResourceLink` items: url and title always set, the widget in `custom`."""
    items = []
    for placement in placements:
        custom = {"widget": placement.widget}
        if placement.target_role_id:
            custom["target_role"] = placement.target_role_id
        resource = (DeepLinkResource().set_type("ltiResourceLink").set_title(placement.title)
                    .set_url(launch_url).set_custom_params(custom))
        activity = ASSESSED_ACTIVITIES.get(placement.activity)
        if activity is not None:
            custom["activity"] = activity.key
            resource.set_custom_params(custom)
            resource.set_lineitem(
                LineItem().set_label(placement.title).set_tag(activity.tag)
                .set_score_maximum(activity.score_maximum)
                .set_resource_id(activity_resource_id(activity, placement.title)))
        elif placement.with_line_item:
            resource.set_lineitem(
                LineItem().set_label(placement.title).set_tag(READINESS_TAG)
                .set_score_maximum(READINESS_SCORE_MAXIMUM)
                .set_resource_id(f"careerpath-{placement.widget}-{placement.target_role_id}"))
        items.append(resource)
    return items


def activity_resource_id(activity: AssessedActivity, title: str) -> str:
    """The line item's resourceId: the activity kind and a slug of its title."""
    slug = "-".join("".join(c if c.isalnum() else " " for c in title.lower()).split())[:60]
    return f"careerpath-{activity.key}-{slug}"


def checked_return_url(settings: Mapping[str, Any], issuer: str,
                       platform_origins: Sequence[str]) -> str:
    """The deep-linking return URL, if it is an https URL on the platform's own host.

    The platform's hosts are the issuer's and those its launch showed (auth URL,
    `launch_presentation.return_url`, `tool_platform.url`: a Canvas school's own domain);
    http is accepted only on loopback (the sandbox, a developer's LMS). Anything else (a
    `javascript:` URL, another site) would run script in the tool's page or hand the signed
    items to a stranger.
    """
    url = str(settings.get("deep_link_return_url") or "")
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    allowed = {(urlsplit(o).hostname or "").lower() for o in [issuer, *platform_origins]}
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS)
    if not (secure and host and host in allowed and not parts.username and not parts.password):
        raise LaunchError(
            "The LMS asked for the placed items to be sent somewhere that is not the LMS "
            f"itself ({parts.scheme or 'no scheme'}://{host or '?'}).",
            "The deep-linking return URL must be https on the platform's own host; check "
            "the platform's registration and deep-linking settings.", status=400)
    return url


def check_placements(settings: Mapping[str, Any], placements: Sequence[Placement]) -> None:
    """Honour `accept_types` and `accept_multiple` of the platform's request."""
    if not placements:
        raise LaunchError("Choose at least one widget to place.",
                          "Pick a widget and submit again.", status=422)
    if "ltiResourceLink" not in (settings.get("accept_types") or []):
        raise LaunchError("This LMS does not accept LTI resource links here.",
                          "Add CareerPath where the LMS accepts LTI links.", status=422)
    if len(placements) > 1 and str(settings.get("accept_multiple", "true")).lower() == "false":
        raise LaunchError("This LMS accepts only one item here; choose one widget.",
                          "Pick a single widget.", status=422)


def response_jwt(settings: Mapping[str, Any], issuer: str, client_id: str, deployment_id: str,
                 items: Sequence[DeepLinkResource], key: SigningKey) -> str:
    """The LtiDeepLinkingResponse signed with the tool's current key (its kid in the header)."""
    registration = Registration().set_issuer(issuer).set_client_id(client_id)
    message = DeepLink(registration, deployment_id, dict(settings)).get_message_jwt(items)  # type: ignore[arg-type]
    if settings.get("data") is None:
        message.pop("https://purl.imsglobal.org/spec/lti-dl/claim/data", None)
    return jwt.encode(message, key.jwt_key(), algorithm="RS256", headers={"kid": key.kid})
