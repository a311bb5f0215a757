"""Who may use the admin pages: a tenant admin from an LTI launch, or the token's super-admin.

A super-admin signs in outside the LMS with `CAREERPATH_ADMIN_TOKEN`; the session lives in
the cache (8 hours) so that signing out ends it everywhere, and the browser only holds its
signed id. Sign-in attempts are counted per client address with one atomic increment in
the shared cache before the token is compared, so a burst of parallel guesses gets no more
comparisons than a patient guesser. Creating keys or registrations needs a fresh session.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import asdict, dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from ..cache import Cache
from ..domain.errors import InvalidInput, NotAllowed
from ..lti.roles import LaunchView
from .launch import LaunchSession

ADMIN_SESSION_TTL = 8 * 3600
FAILURE_WINDOW_SECONDS = 60
MAX_FAILURES = 10
# creating API keys or registrations and rotating keys need a session at most this old
FRESH_SESSION_SECONDS = 10 * 60
_SALT = "careerpath-admin-session"


class SignInDisabled(NotAllowed):
    """No admin token is configured: sign-in outside the LMS is off."""

    code = "admin_sign_in_disabled"


class StaleSession(NotAllowed):
    """A sensitive action asked of a session older than FRESH_SESSION_SECONDS."""

    code = "stale_session"


class TooManyAttempts(NotAllowed):
    """Too many failed sign-ins from one address in the last minute (HTTP 429)."""

    code = "rate_limited"


@dataclass(frozen=True)
class AdminSession:
    """An admin's session: `tenant_id` None means every tenant (the super-admin)."""

    session_id: str
    tenant_id: int | None
    launch_id: str = ""
    person_name: str = "Administrator"
    started_at: float = 0.0

    @property
    def super_admin(self) -> bool:
        return self.tenant_id is None


def require_fresh(session: AdminSession, now: float | None = None) -> None:
    """Refuse a sensitive action to a session opened more than 10 minutes ago."""
    age = (time.time() if now is None else now) - session.started_at
    if age > FRESH_SESSION_SECONDS:
        again = ("sign in again with the admin token" if session.super_admin
                 else "relaunch CareerPath from the LMS")
        raise StaleSession(f"This action needs a session opened in the last "
                           f"{FRESH_SESSION_SECONDS // 60} minutes: {again}, then retry.")


def admin_from_launch(launch: LaunchSession) -> AdminSession:
    """A tenant admin session for a system or institution Administrator's launch."""
    if launch.role_view < LaunchView.ADMIN:
        raise NotAllowed("The admin pages are for LMS administrators; you launched as "
                         f"{launch.role_view.name.lower()}.")
    return AdminSession(f"launch:{launch.launch_id}", launch.tenant_id, launch.launch_id,
                        launch.person_name, launch.created_at)


def sign_in(cache: Cache, configured_token: str | None, given_token: str,
            client: str, now: float | None = None) -> AdminSession:
    """A super-admin session for the right token; attempts are counted per `client`.

    The count goes up (atomically) before the comparison and is cleared by a right token:
    at most MAX_FAILURES comparisons per client and window, however many run at once.
    """
    if not configured_token:
        raise SignInDisabled("Admin sign-in is disabled: CAREERPATH_ADMIN_TOKEN is not set.")
    attempts_key = f"admin-sign-in-attempts:{client}"
    if cache.incr(attempts_key, FAILURE_WINDOW_SECONDS) > MAX_FAILURES:
        raise TooManyAttempts("Too many failed sign-ins; wait a minute and try again.")
    if not hmac.compare_digest(configured_token.encode(), given_token.encode()):
        raise InvalidInput("That admin token is not right.", {"token": ["wrong token"]})
    cache.pop(attempts_key)
    session = AdminSession(secrets.token_urlsafe(24), None,
                           started_at=time.time() if now is None else now)
    cache.set(f"admin-session:{session.session_id}", asdict(session), ADMIN_SESSION_TTL)
    return session


def sign_out(cache: Cache, session: AdminSession) -> None:
    """End a super-admin session everywhere (a launch session simply expires)."""
    if not session.launch_id:
        cache.pop(f"admin-session:{session.session_id}")


def session_cookie(secret: str, session: AdminSession) -> str:
    """The signed value the browser keeps: the session id only."""
    return URLSafeSerializer(secret, salt=_SALT).dumps(session.session_id)


def session_from_cookie(cache: Cache, secret: str, cookie: str) -> AdminSession | None:
    """The live super-admin session a cookie names, or None."""
    if not cookie:
        return None
    try:
        session_id = URLSafeSerializer(secret, salt=_SALT).loads(cookie)
    except BadSignature:
        return None
    raw = cache.get(f"admin-session:{session_id}") if isinstance(session_id, str) else None
    return None if raw is None else AdminSession(**raw)


def remember_once(cache: Cache, session: AdminSession, value: str) -> str:
    """Keep `value` (a new API key) for one showing; the handle to fetch it with."""
    handle = secrets.token_urlsafe(12)
    cache.set(f"admin-once:{session.session_id}:{handle}", value, 300)
    return handle


def recall_once(cache: Cache, session: AdminSession, handle: str) -> str | None:
    """The value kept by `remember_once`, removed as it is read."""
    return cache.pop(f"admin-once:{session.session_id}:{handle}") if handle else None
