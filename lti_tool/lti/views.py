"""LTI endpoints: OIDC login, launch, platform-storage continuation and the tool's JWKS."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from ..bootstrap import Services, services
from ..domain.errors import PersonErased
from ..records import PlatformRegistration
from ..usecases.badges.verification import legacy_jwks
from ..usecases.launch import LaunchSession, ReadAlong, check_approved, record_launch
from ..usecases.launch_registrations import registrations_of_issuer
from ..usecases.sync.jobs import sync_if_stale
from ..usecases.tool_keys import ensure_signing_key, published_jwks
from ..web.launch_binding import bind_browser, browser_key
from ..web.security_headers import frame_for, frame_notice, page_policy
from . import claims as c
from . import fresh_start
from .errors import LaunchError
from .fresh_start import erased_page
from .id_token import ExpectedIssuer, verify_id_token
from .login import (
    LOGIN_TTL,
    STATE_COOKIE_PREFIX,
    PendingLogin,
    check_login_request,
    login_params,
    pending_login,
    start_login,
)
from .roles import LaunchView

bp = Blueprint("lti", __name__, url_prefix="/lti")
well_known = Blueprint("well_known", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """Third-party initiated login: remember state and nonce, send the browser to the LMS."""
    frame_notice()
    params = login_params(request.values)
    check_login_request(params)
    svc = services(current_app)
    registration = _find_registration(svc, params)
    if registration is not None:
        check_approved(registration)  # before the platform is asked for an id_token
    redirect_to = start_login(params, registration, url_for("lti.launch", _external=True),
                              svc.cache)
    pending = redirect_to.pending
    if pending.storage_target:
        response = make_response(render_template(
            "lti/login_storage.html", pending=pending, auth_url=redirect_to.auth_url,
            platform_origin=_origin(pending.auth_login_url)))
    else:
        response = make_response(redirect(redirect_to.auth_url, code=302))
    _set_state_cookie(response, pending.state)
    return response


@bp.post("/launch")
def launch() -> ResponseReturnValue:
    """The platform posts the id_token here; the browser must prove it started the login."""
    frame_notice()
    state, id_token = request.form.get("state", ""), request.form.get("id_token", "")
    if not id_token:
        raise LaunchError("The request carries no id_token: it is not an LTI 1.3 launch.",
                          "Check that the tool's redirect URL is /lti/launch.")
    cache = services(current_app).cache
    if request.cookies.get(STATE_COOKIE_PREFIX + state) == state:
        # the browser proved it started this login: consume the state (once) straight away
        return _complete(id_token, pending_login(cache, state, consume=True))
    pending = pending_login(cache, state, consume=False)
    if pending.storage_target:
        return render_template("lti/launch_storage.html", pending=pending, id_token=id_token,
                               platform_origin=_origin(pending.auth_login_url))
    new_window = url_for("lti.login", _external=True) + "?" + urlencode(
        {**pending.login_params, "lti1p3_new_window": "1"})
    return render_template("lti/cookies_blocked.html", new_window_url=new_window), 200


@bp.post("/launch/storage")
def launch_from_storage() -> ResponseReturnValue:
    """Second step of a cookieless launch: the frame read the nonce from platform storage."""
    frame_notice()
    state = request.form.get("state", "")
    cache = services(current_app).cache
    pending = pending_login(cache, state, consume=True)
    if request.form.get("stored_nonce", "") != pending.nonce:
        raise LaunchError("The platform storage did not hold this launch's state.",
                          "Relaunch from the course; the LMS may not support LTI platform "
                          "storage in this frame.", status=401)
    return _complete(request.form.get("id_token", ""), pending)


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    """The tool's public keys: the active one and those still published."""
    svc, now = services(current_app), datetime.now(UTC)
    ensure_signing_key(svc.database, svc.settings.secret_key, now)
    response = jsonify(published_jwks(svc.database, now))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@well_known.get("/.well-known/jwks.json")
def well_known_jwks() -> ResponseReturnValue:
    """The LTI keys and the badge key set: badges issued before badges had keys of their own
    name this URL as their `jku`."""
    svc, now = services(current_app), datetime.now(UTC)
    ensure_signing_key(svc.database, svc.settings.secret_key, now)
    response = jsonify(legacy_jwks(svc.database, now))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _complete(id_token: str, pending: PendingLogin) -> ResponseReturnValue:
    """Verify and record the launch of `pending`, a login this request has consumed (its
    nonce is then good once: see lti.id_token)."""
    svc = services(current_app)
    expected = ExpectedIssuer(pending.registration_id, pending.issuer, pending.client_id,
                              pending.keyset_url, pending.nonce)
    claims = verify_id_token(id_token, expected, svc.platform_keys)
    message_type = c.check_message(claims)
    # the registration is read afresh by record_launch's own read; what the page
    # will read from the shared cache is read in the same round trip as the session's write
    read_along = ReadAlong(_page_reads)
    try:
        session_data = record_launch(svc.database, svc.cache, pending.registration_id, claims,
                                     message_type, _platform_origins(pending, claims),
                                     browser_key=browser_key(), read_along=read_along)
    except PersonErased:
        return erased_page(pending.registration_id, claims, message_type,
                           _platform_origins(pending, claims))
    if (svc.settings.sync_on_launch and session_data.role_view >= LaunchView.INSTRUCTOR
            and session_data.course_id is not None):
        _start_stale_sync(session_data.course_id)
    frame_for(session_data.platform_origins)
    response = make_response(_launched_page(session_data, read_along.values))
    response.headers["Content-Security-Policy"] = frame_ancestors(session_data.platform_origins)
    return bind_browser(response)


def _start_stale_sync(course_id: int) -> None:
    """An instructor launch refreshes a stale course in the background; never fails the page."""
    try:
        sync_if_stale(services(current_app), course_id)
    except Exception:  # noqa: BLE001 - the launch must not depend on the job queue
        current_app.logger.exception("could not queue a sync of course %s", course_id)


def _launched_page(launch: LaunchSession, read: dict[str, Any]) -> ResponseReturnValue:
    from ..web.launch_pages import page_for

    return page_for(launch, read)


def _page_reads(launch: LaunchSession) -> tuple[str, ...]:
    from ..web.launch_pages import page_reads

    return page_reads(launch)


def _find_registration(svc: Services, params: dict[str, str]) -> PlatformRegistration | None:
    if params.get("client_id"):
        return svc.registrations.find(params["iss"], params["client_id"])
    matches = registrations_of_issuer(svc.database, params["iss"])
    if len(matches) > 1:
        raise LaunchError("The login names no client_id and this issuer has several "
                          "registrations.", "Configure the platform to send client_id in the "
                          "login request.")
    return matches[0] if matches else None


def _set_state_cookie(response: Response, state: str) -> None:
    response.set_cookie(STATE_COOKIE_PREFIX + state, state, max_age=LOGIN_TTL, path="/",
                        secure=True, httponly=True, samesite="None", partitioned=True)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _platform_origins(pending: PendingLogin, claims: dict) -> list[str]:
    found = {_origin(pending.auth_login_url)}
    presentation = claims.get(c.LAUNCH_PRESENTATION) or {}
    platform = claims.get(c.TOOL_PLATFORM) or {}
    for url in (presentation.get("return_url"), platform.get("url")):
        if isinstance(url, str):
            found.add(_origin(url))
    return sorted(o for o in found if o)


def frame_ancestors(origins: list[str]) -> str:
    """CSP allowing only the platform's own origins (never `*`) to frame the tool."""
    return page_policy(origins)


def render_launch_error(error: LaunchError) -> ResponseReturnValue:
    """The page shown inside the LMS frame for a refused login or launch."""
    frame_notice()
    return render_template("lti/error.html", error=error), error.status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(well_known)
    fresh_start.init_app(app)
    app.register_error_handler(LaunchError, render_launch_error)
