"""LTI Dynamic Registration: fetch the platform's configuration, register, store the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from ..domain.errors import Conflict, InvalidInput
from ..lms.http import HttpClient
from ..lti.dynamic_registration import (
    PlatformConfiguration,
    RegistrationAnswer,
    ToolUrls,
    checked_url,
    parse_platform_configuration,
    parse_registration_answer,
    registration_error,
    tool_configuration,
)
from ..outbound import OutboundError, OutboundRefused, log_excerpt
from ..records import RegistrationInvitation
from ..store.database import Database
from ..store.repositories.invitations import InvitationRepository
from ..store.repositories.lti import LtiRepository
from .invitations import claim_invitation, release_invitation
from .platforms import PlatformInput, RegisteredPlatform, add_platform
from .service_hosts import add_service_host, issuer_host


@dataclass(frozen=True)
class RegistrationRequest:
    """What the LMS's registration window brought, and the operator's Canvas allow-list."""

    invitation_token: str
    config_url: str
    registration_token: str
    canvas_config_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class DynamicRegistration:
    """A completed registration: the stored platform and what the LMS was told."""

    platform: RegisteredPlatform
    configuration: PlatformConfiguration


def register_dynamically(http: HttpClient, database: Database, request: RegistrationRequest,
                         urls: ToolUrls, now: datetime) -> DynamicRegistration:
    """Run one Dynamic Registration; nothing is stored unless every step succeeds.

    The invitation is checked and claimed first: without a valid one the tool fetches
    nothing. A registration that fails after the claim gives the link back.
    """
    invitation = claim_invitation(database, request.invitation_token, now)
    try:
        configuration, answer = _exchange(http, request, urls)
        stored = _store(database, configuration, answer, invitation)
        _list_configuration_host(database, stored, request.config_url)
        return DynamicRegistration(stored, configuration)
    except BaseException:
        release_invitation(database, invitation)
        raise


def _exchange(http: HttpClient, request: RegistrationRequest,
              urls: ToolUrls) -> tuple[PlatformConfiguration, RegistrationAnswer]:
    config_url = request.config_url
    if not config_url:
        raise registration_error("the request has no openid_configuration URL.",
                                 "Start the registration from the LMS, which adds it.")
    checked_url("openid_configuration", config_url)
    token = request.registration_token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    configuration = parse_platform_configuration(
        config_url, _fetch_configuration(http, config_url, headers),
        canvas_config_hosts=request.canvas_config_hosts)
    answer = _post_registration(http, configuration, tool_configuration(urls, configuration),
                                headers)
    return configuration, answer


def _list_configuration_host(database: Database, stored: RegisteredPlatform,
                             config_url: str) -> None:
    """Canvas cloud serves a school under a shared issuer: the host its configuration came
    from is where its AGS/NRPS URLs are, so it joins the platform's service hosts."""
    host = urlsplit(config_url).hostname or ""
    if host and host != issuer_host(stored.registration):
        add_service_host(database, stored.registration.id, host)


def _fetch_configuration(http: HttpClient, url: str, headers: dict[str, str]) -> Any:
    try:
        return http.fetch_json(url, headers=headers)
    except OutboundError as exc:
        raise _not_called("the platform's OpenID configuration", exc) from None
    except requests.HTTPError as exc:
        response = exc.response
        status = response.status_code if response is not None else "?"
        raise registration_error(
            f"the platform answered HTTP {status} for its OpenID configuration.",
            "The registration token may have expired or been used: start the registration "
            "again from the LMS.") from None
    except ValueError:  # before RequestException: requests' JSONDecodeError is both
        raise registration_error("the platform's OpenID configuration is not JSON.",
                                 "Check that the openid_configuration URL points to the "
                                 "LMS's registration configuration.") from None
    except requests.RequestException as exc:
        raise registration_error(
            f"the platform's OpenID configuration could not be fetched ({type(exc).__name__}).",
            "Check that CareerPath's server can reach the LMS at that URL (DNS, firewall, "
            "TLS certificate).") from None


def _post_registration(http: HttpClient, configuration: PlatformConfiguration,
                       body: dict[str, Any], headers: dict[str, str]) -> RegistrationAnswer:
    try:
        response = http.post_json(configuration.registration_endpoint, body, headers=headers)
    except OutboundError as exc:
        raise _not_called("the registration", exc) from None
    except requests.RequestException as exc:
        raise registration_error(
            f"the registration could not be sent to the platform ({type(exc).__name__}).",
            "Check that CareerPath's server can reach the LMS's registration endpoint.") from None
    if not 200 <= response.status_code < 300:
        log_excerpt("Dynamic Registration refused", response.url, response.status_code,
                    response.content, (headers.get("Authorization", "")[7:],))
        raise registration_error(
            f"the platform refused the registration with HTTP {response.status_code}.",
            "Check the LMS's log and that it accepts CareerPath's scopes and placements; "
            "then start the registration again (the token may now be used).")
    try:
        data = response.json()
    except ValueError:
        log_excerpt("Dynamic Registration answer not JSON", response.url,
                    response.status_code, response.content)
        raise registration_error("the platform's registration answer is not JSON.",
                                 "Check the LMS's log for the registration request.") from None
    return parse_registration_answer(data)


def _store(database: Database, configuration: PlatformConfiguration,
           answer: RegistrationAnswer, invitation: RegistrationInvitation) -> RegisteredPlatform:
    """A pending registration in the invitation's tenant (or a new one).

    Deployments: those the invitation lists, and only those; else the one the platform
    answered with (Moodle), and later the ones its launches announce once approved.
    """
    listed = list(invitation.deployment_ids)
    answered = [answer.deployment_id] if answer.deployment_id else []
    data = PlatformInput(
        issuer=configuration.issuer, client_id=answer.client_id,
        deployment_ids=listed or answered,
        auth_login_url=configuration.authorization_endpoint,
        auth_token_url=configuration.token_endpoint, keyset_url=configuration.jwks_uri,
        auth_audience=configuration.auth_audience, name=configuration.name,
        registered_via="dynamic", tenant_id=invitation.tenant_id, status="pending",
        deployment_policy="listed" if listed else "announced")
    try:
        with database.session() as session:
            done = add_platform(session, data)
            repo = LtiRepository(session)
            for deployment_id in answered:
                if deployment_id not in listed and listed:
                    # not named at invitation: recorded for the admin to see, never accepted
                    # until enabled
                    repo.ensure_deployment(done.registration.id, deployment_id, enabled=False)
            InvitationRepository(session).link(invitation.id, done.registration.id)
            return RegisteredPlatform(done.registration, repo.deployments(done.registration.id))
    except Conflict:
        raise registration_error(
            f"the platform {configuration.issuer} with client id {answer.client_id} is "
            "already registered in CareerPath.",
            "Remove the old registration in CareerPath's admin pages (or in the LMS) before "
            "registering again.", status=409) from None
    except InvalidInput as exc:
        raise registration_error(f"{exc.message}.") from None


def _not_called(what: str, exc: OutboundError) -> Exception:
    """A registration error for a call the outbound client refused or cut short."""
    if isinstance(exc, OutboundRefused):
        return registration_error(
            f"{what} was not requested: {exc.message}.",
            "CareerPath calls only public https addresses unless the operator lists a host "
            "in CAREERPATH_OUTBOUND_ALLOW; start the registration from the LMS's public URL.")
    return registration_error(f"{what} could not be completed: {exc.message}.",
                              "Check that the LMS answers quickly with a small JSON document.")
