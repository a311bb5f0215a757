"""Pure LTI Dynamic Registration and Canvas developer-key documents: no I/O, unit-testable."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..config import LOOPBACK_HOSTS
from ..domain.errors import InvalidInput
from .claims import DEEP_LINKING_REQUEST, RESOURCE_LINK_REQUEST
from .errors import LaunchError
from .platform_urls import check_platform_url

PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
CANVAS_PRIVACY_LEVEL = "https://canvas.instructure.com/lti/privacy_level"
CANVAS_PLATFORM = "canvas.instructure.com"
TOOL_NAME = "CareerPath"
TOOL_DESCRIPTION = "Career readiness and skills pathways for your courses."
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
)
CLAIMS = ("iss", "sub", "name", "given_name", "family_name", "email")
CUSTOM_PARAMETERS = {"lms_context_id": "$Context.id"}
REQUIRED_ENDPOINTS = ("registration_endpoint", "authorization_endpoint", "token_endpoint",
                      "jwks_uri")
_ADMIN_CHECK = ("Check the registration URL the LMS opened (openid_configuration) and that the "
                "LMS can reach CareerPath, then start the registration again from the LMS.")


@dataclass(frozen=True)
class MessageSpec:
    """One message the tool accepts, with its label and placements per platform family."""

    type: str
    label: str
    canvas_placements: tuple[str, ...]
    placements: tuple[str, ...] = ()


MESSAGES = (
    MessageSpec(RESOURCE_LINK_REQUEST, TOOL_NAME, ("course_navigation",)),
    MessageSpec(DEEP_LINKING_REQUEST, "Add CareerPath content",
                ("link_selection", "assignment_selection"), ("ContentArea",)),
)


@dataclass(frozen=True)
class ToolUrls:
    """The tool's public URLs, as the platform must call them."""

    login: str
    launch: str
    jwks: str
    logo: str | None = None

    @property
    def domain(self) -> str:
        """The host (and port) the tool is served from."""
        return urlsplit(self.launch).netloc


@dataclass(frozen=True)
class PlatformConfiguration:
    """The parts of a platform's OpenID configuration a registration needs."""

    issuer: str
    registration_endpoint: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    product_family_code: str = ""
    auth_audience: str | None = None
    deep_linking_placements: tuple[str, ...] = field(default=())

    @property
    def is_canvas(self) -> bool:
        """True for Instructure Canvas (placements and privacy as Canvas extensions)."""
        return self.product_family_code.lower() == "canvas"

    @property
    def name(self) -> str:
        """A readable platform name: product family and host."""
        host = urlsplit(self.issuer).hostname or self.issuer
        family = self.product_family_code.capitalize()
        return f"{family} ({host})" if family else host


def registration_error(what: str, hint: str = _ADMIN_CHECK, status: int = 400) -> LaunchError:
    """A refused registration, rendered as the 4xx error page."""
    return LaunchError(f"Dynamic Registration failed: {what}", hint, status=status)


def parse_platform_configuration(config_url: str, data: Any, *,
                                 canvas_config_hosts: Sequence[str] = ()
                                 ) -> PlatformConfiguration:
    """Validate a platform's OpenID configuration fetched from `config_url`.

    The shared Canvas cloud issuers are accepted only when `config_url`'s host is on the
    operator's list (`CAREERPATH_CANVAS_CONFIG_HOSTS`).
    """
    if not isinstance(data, Mapping):
        raise registration_error("the platform's OpenID configuration is not a JSON object.")
    issuer = data.get("issuer")
    if not isinstance(issuer, str) or not issuer:
        raise registration_error("the platform's OpenID configuration has no issuer.")
    if issuer.rstrip("/") in CANVAS_CLOUD_ISSUERS and not issuer_matches(issuer, config_url):
        if not canvas_cloud(issuer, config_url, data, canvas_config_hosts):
            raise registration_error(
                f"the shared Canvas issuer {issuer!r} is accepted only from a configuration "
                f"host on the operator's list, and {urlsplit(config_url).hostname!r} is not "
                "on it.",
                "Ask the CareerPath operator to add your Canvas domain to "
                "CAREERPATH_CANVAS_CONFIG_HOSTS, then start the registration again with a "
                "new registration link.", status=403)
    elif not issuer_matches(issuer, config_url):
        raise registration_error(
            f"the issuer {issuer!r} does not match the configuration URL {config_url!r}.",
            "The openid_configuration URL must start with the platform's issuer; check the "
            "LMS's public URL (wwwroot / issuer) setting.")
    missing = [name for name in REQUIRED_ENDPOINTS if not isinstance(data.get(name), str)
               or not data.get(name)]
    if missing:
        raise registration_error(f"the platform's OpenID configuration lacks "
                                 f"{', '.join(missing)}.")
    for name in ("issuer", *REQUIRED_ENDPOINTS):
        checked_url(name, data[name])
    advertised = data.get(PLATFORM_CONFIG)
    platform: Mapping[str, Any] = advertised if isinstance(advertised, Mapping) else {}
    audience = data.get("authorization_server")
    return PlatformConfiguration(
        issuer=issuer, **{name: data[name] for name in REQUIRED_ENDPOINTS},
        product_family_code=str(platform.get("product_family_code") or ""),
        auth_audience=audience if isinstance(audience, str) and audience else None,
        deep_linking_placements=_advertised_placements(platform))


def checked_url(name: str, url: str) -> str:
    """`url` if it is https (or loopback http), else a registration error."""
    try:
        return check_platform_url(name, url)
    except InvalidInput as exc:
        raise registration_error(f"{exc.message}.") from None


def issuer_matches(issuer: str, config_url: str) -> bool:
    """Same scheme, host and port as the issuer, and a path under the issuer's path."""
    want, got = urlsplit(issuer), urlsplit(config_url)
    if (want.scheme, want.netloc.lower()) != (got.scheme, got.netloc.lower()):
        return False
    prefix = want.path.rstrip("/")
    return got.path == prefix or got.path.startswith(prefix + "/")


CANVAS_CLOUD_ISSUERS = frozenset({"https://canvas.instructure.com",
                                  "https://canvas.beta.instructure.com",
                                  "https://canvas.test.instructure.com"})


def canvas_cloud(issuer: str, config_url: str, data: Mapping[str, Any],
                 allowed_hosts: Sequence[str] = ()) -> bool:
    """Canvas cloud serves its configuration from the school's domain under a shared issuer.

    Every Instructure-hosted Canvas uses one of three issuers, while the openid_configuration
    URL is on the school's own domain. Anyone can serve such a document, so the pairing is
    accepted only from a host the operator listed (`school.instructure.com`, or
    `*.instructure.com` for its subdomains), over https (plain http for loopback hosts).
    """
    platform = data.get(PLATFORM_CONFIG)
    family = platform.get("product_family_code") if isinstance(platform, Mapping) else None
    parts = urlsplit(config_url)
    secure = parts.scheme == "https" or (parts.scheme == "http"
                                         and (parts.hostname or "") in LOOPBACK_HOSTS)
    return (issuer.rstrip("/") in CANVAS_CLOUD_ISSUERS and family == "canvas" and secure
            and host_listed(parts.hostname or "", allowed_hosts))


def host_listed(host: str, allowed: Sequence[str]) -> bool:
    """`host` is one of `allowed`, or under a `*.domain` entry of it (case-insensitive)."""
    host = host.lower().rstrip(".")
    for entry in (a.strip().lower().rstrip(".") for a in allowed):
        if entry.startswith("*.") and host.endswith(entry[1:]) and len(host) > len(entry) - 1:
            return True
        if entry and host == entry:
            return True
    return False


def _advertised_placements(platform: Mapping[str, Any]) -> tuple[str, ...]:
    for message in platform.get("messages_supported") or []:
        if isinstance(message, Mapping) and message.get("type") == DEEP_LINKING_REQUEST:
            return tuple(str(p) for p in message.get("placements") or [])
    return ()


def tool_configuration(urls: ToolUrls, platform: PlatformConfiguration) -> dict[str, Any]:
    """The client registration request body for `platform` (LTI DR 1.0, section 3.5)."""
    lti_config: dict[str, Any] = {
        "domain": urls.domain, "target_link_uri": urls.launch,
        "custom_parameters": dict(CUSTOM_PARAMETERS), "claims": list(CLAIMS),
        "description": TOOL_DESCRIPTION, "messages": _messages(urls, platform),
    }
    if platform.is_canvas:
        lti_config[CANVAS_PRIVACY_LEVEL] = "public"
    body: dict[str, Any] = {
        "application_type": "web", "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls.login, "redirect_uris": [urls.launch],
        "client_name": TOOL_NAME, "jwks_uri": urls.jwks,
        "token_endpoint_auth_method": "private_key_jwt", "scope": " ".join(SCOPES),
        TOOL_CONFIG: lti_config,
    }
    if urls.logo:
        body["logo_uri"] = urls.logo
    return body


def _messages(urls: ToolUrls, platform: PlatformConfiguration) -> list[dict[str, Any]]:
    found = []
    for spec in MESSAGES:
        if platform.is_canvas:
            placements: tuple[str, ...] = spec.canvas_placements
        elif spec.type == DEEP_LINKING_REQUEST and platform.deep_linking_placements:
            placements = platform.deep_linking_placements
        else:
            placements = spec.placements
        message: dict[str, Any] = {"type": spec.type, "target_link_uri": urls.launch,
                                   "label": spec.label}
        if placements:
            message["placements"] = list(placements)
        found.append(message)
    return found


@dataclass(frozen=True)
class RegistrationAnswer:
    """What the platform assigned: the client_id and, from Moodle, a deployment_id."""

    client_id: str
    deployment_id: str | None


def parse_registration_answer(data: Any) -> RegistrationAnswer:
    """The client_id (and deployment_id when sent) from the platform's registration answer."""
    if not isinstance(data, Mapping) or not data.get("client_id"):
        raise registration_error("the platform's registration answer has no client_id.",
                                 "Check the LMS's log for the registration request.")
    answered = data.get(TOOL_CONFIG)
    tool: Mapping[str, Any] = answered if isinstance(answered, Mapping) else {}
    deployment = tool.get("deployment_id")
    return RegistrationAnswer(str(data["client_id"]),
                              str(deployment) if deployment not in (None, "") else None)


def canvas_developer_key(urls: ToolUrls) -> dict[str, Any]:
    """The JSON a Canvas admin pastes into an LTI developer key ("Paste JSON")."""
    placements = [
        {"placement": placement, "message_type": spec.type, "target_link_uri": urls.launch,
         "text": spec.label, **({"icon_url": urls.logo} if urls.logo else {})}
        for spec in MESSAGES for placement in spec.canvas_placements
    ]
    settings: dict[str, Any] = {"text": TOOL_NAME, "placements": placements}
    if urls.logo:
        settings["icon_url"] = urls.logo
    return {
        "title": TOOL_NAME, "description": TOOL_DESCRIPTION,
        "oidc_initiation_url": urls.login, "target_link_uri": urls.launch,
        "public_jwk_url": urls.jwks, "scopes": list(SCOPES),
        "extensions": [{"platform": CANVAS_PLATFORM, "domain": urls.domain,
                        "privacy_level": "public", "settings": settings}],
        "custom_fields": dict(CUSTOM_PARAMETERS), "claims": list(CLAIMS),
    }
