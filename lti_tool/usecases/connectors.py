"""LMS API connectors: an admin connects a registration; a Canvas course may need an
instructor's OAuth2 authorization; a sync gets the credentials it needs."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..cache import Cache
from ..clock import utcnow
from ..domain.errors import InvalidInput, NotFound
from ..lms import canvas_oauth
from ..lms.canvas_rest import TokenSource
from ..lms.errors import LmsAuthError
from ..lms.http import HttpClient
from ..sealing import seal, unseal
from ..store.database import Database
from ..store.repositories.connectors import Connector, ConnectorRepository, Grant
from ..store.repositories.lti import LtiRepository
from .platforms import check_platform_url

PLATFORMS = ("canvas", "moodle")
STATE_MAX_AGE = 600
EARLY_REFRESH = timedelta(minutes=2)


@dataclass(frozen=True)
class ConnectInput:
    """What `careerpath platform connect` and the admin form take."""

    registration_id: int
    platform: str
    base_url: str
    token: str = ""  # Canvas admin access token, or Moodle web-service token
    client_id: str = ""  # Canvas API developer key id (OAuth2)
    client_secret: str = ""  # its secret


@dataclass(frozen=True)
class ConnectorSummary:
    """A connector as admins see it: never the secret."""

    registration_id: int
    platform: str
    base_url: str
    auth: str
    client_id: str


def connect_platform(database: Database, secret_key: str, data: ConnectInput,
                     tenant_id: int | None = None) -> ConnectorSummary:
    """Store (or replace) the registration's connector; the secret encrypted at rest."""
    platform = data.platform.strip().lower()
    if platform not in PLATFORMS:
        raise InvalidInput("platform must be canvas or moodle", {"platform": ["canvas or moodle"]})
    base_url = check_platform_url("base_url", data.base_url.strip()).rstrip("/")
    oauth = platform == "canvas" and bool(data.client_id.strip())
    secret = (data.client_secret if oauth else data.token).strip()
    if not secret:
        wanted = ("the developer key's client secret" if oauth else
                  "an access token" if platform == "canvas" else "a web-service token")
        raise InvalidInput(f"{platform} needs {wanted}", {"token": ["required"]})
    with database.session() as session:
        registration = LtiRepository(session).registration_by_id(data.registration_id)
        if tenant_id is not None and registration.tenant_id != tenant_id:
            raise NotFound(f"no platform registration with id {data.registration_id}")
        saved = ConnectorRepository(session).save(
            registration.id, platform, base_url, "oauth2" if oauth else "token",
            data.client_id.strip() if oauth else "",
            seal(secret.encode(), secret_key))
        return _summary(saved)


def disconnect_platform(database: Database, registration_id: int,
                        tenant_id: int | None = None) -> bool:
    with database.session() as session:
        registration = LtiRepository(session).registration_by_id(registration_id)
        if tenant_id is not None and registration.tenant_id != tenant_id:
            raise NotFound(f"no platform registration with id {registration_id}")
        return ConnectorRepository(session).remove(registration_id)


def connectors_of(database: Database, registration_ids: list[int]
                  ) -> dict[int, ConnectorSummary]:
    with database.session() as session:
        found = ConnectorRepository(session).of_registrations(registration_ids)
        return {rid: _summary(c) for rid, c in found.items()}


@dataclass(frozen=True)
class CourseConnector:
    """A course's connector as the mapping page shows it."""

    platform: str
    auth: str
    authorized: bool
    revoked: bool


def course_connector(database: Database, course_id: int) -> CourseConnector | None:
    with database.session() as session:
        repo = ConnectorRepository(session)
        connector = repo.of_course(course_id)
        if connector is None:
            return None
        grant = repo.grant(connector.id, course_id) if connector.auth == "oauth2" else None
        return CourseConnector(connector.platform, connector.auth,
                               connector.auth == "token" or (grant is not None and
                                                             grant.status == "active"),
                               grant is not None and grant.status == "revoked")


def secret_of(connector: Connector, secret_key: str) -> str:
    return unseal(connector.secret_encrypted, secret_key).decode()


def _summary(c: Connector) -> ConnectorSummary:
    return ConnectorSummary(c.registration_id, c.platform, c.base_url, c.auth, c.client_id)


# --- Canvas OAuth2: an instructor authorizes once per course --------------------------------

def _states(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="canvas-connector-oauth")


def start_authorization(database: Database, secret_key: str, course_id: int,
                        redirect_uri: str) -> str:
    """The Canvas URL where an instructor grants the course's connector access."""
    with database.session() as session:
        connector = ConnectorRepository(session).of_course(course_id)
    if connector is None or connector.auth != "oauth2":
        raise InvalidInput("this course's platform has no Canvas OAuth2 connector")
    state = _states(secret_key).dumps({"course": course_id, "connector": connector.id,
                                       "nonce": secrets.token_urlsafe(16)})
    return canvas_oauth.authorize_url(connector.base_url, connector.client_id, redirect_uri,
                                      state)


def finish_authorization(database: Database, http: HttpClient, cache: Cache, secret_key: str,
                         state: str, code: str, redirect_uri: str,
                         clock: Callable[[], datetime] = utcnow) -> int:
    """Exchange Canvas's code for tokens and keep them encrypted; the course id.

    The signed `state` names the course and is good once (its nonce is spent in the cache).
    """
    try:
        facts = _states(secret_key).loads(state, max_age=STATE_MAX_AGE)
    except SignatureExpired:
        raise InvalidInput("the authorization took too long: start it again") from None
    except BadSignature:
        raise InvalidInput("this authorization answer is not one the tool asked for") from None
    if not cache.add(f"connector-oauth:{facts.get('nonce')}", 1, STATE_MAX_AGE):
        raise InvalidInput("this authorization answer was already used: start it again")
    with database.session() as session:
        connector = ConnectorRepository(session).of_course(int(facts["course"]))
    if connector is None or connector.id != facts["connector"] or not code:
        raise InvalidInput("the course's connector changed during the authorization")
    tokens = canvas_oauth.exchange_code(http, connector.base_url, connector.client_id,
                                        secret_of(connector, secret_key), redirect_uri, code)
    if not tokens.refresh_token:
        raise LmsAuthError("Canvas answered the code exchange without a refresh token")
    with database.session() as session:
        ConnectorRepository(session).save_grant(
            connector.id, int(facts["course"]),
            seal(tokens.refresh_token.encode(), secret_key),
            seal(tokens.access_token.encode(), secret_key),
            _expiry(clock(), tokens.expires_in), tokens.user_id)
    return int(facts["course"])


def canvas_token_source(database: Database, http: HttpClient, secret_key: str,
                        connector: Connector, grant: Grant | None,
                        clock: Callable[[], datetime] = utcnow) -> TokenSource:
    """The Bearer token for Canvas calls: the admin token, or the course's access token,
    refreshed when it expires (or when Canvas refused it: `fresh`)."""
    if connector.auth == "token":
        admin_token = secret_of(connector, secret_key)
        return lambda _fresh: admin_token
    if grant is None or grant.status != "active":
        raise LmsAuthError("no instructor has authorized Canvas access for this course yet: "
                           "authorize it from the mapping page")
    current = _AccessToken(unseal(grant.access_token_encrypted, secret_key).decode()
                           if grant.access_token_encrypted else "", grant.access_expires_at)

    def token(fresh: bool) -> str:
        expires = current.expires
        if current.token and not fresh and (expires is None or
                                            expires - EARLY_REFRESH > clock()):
            return current.token
        try:
            tokens = canvas_oauth.refresh(
                http, connector.base_url, connector.client_id, secret_of(connector, secret_key),
                unseal(grant.refresh_token_encrypted, secret_key).decode())
        except LmsAuthError:
            with database.session() as session:
                ConnectorRepository(session).revoke_grant(grant.id)
            raise
        current.token, current.expires = tokens.access_token, _expiry(
            clock(), tokens.expires_in)
        with database.session() as session:
            ConnectorRepository(session).update_access(
                grant.id, seal(tokens.access_token.encode(), secret_key), current.expires)
        return tokens.access_token
    return token


@dataclass
class _AccessToken:
    """The course's access token as this token source last knew it."""

    token: str
    expires: datetime | None


def _expiry(now: datetime, expires_in: int | None) -> datetime | None:
    return None if expires_in is None else now + timedelta(seconds=expires_in)
