"""CSRF tokens for forms inside the LMS frame, bound to the launch session."""

from __future__ import annotations

import hashlib
import hmac

from ..lti.errors import LaunchError


def csrf_token(secret: str, launch_id: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{launch_id}".encode(), hashlib.sha256).hexdigest()


def check_csrf(secret: str, launch_id: str, token: str) -> None:
    """Refuse a form that was not rendered for this launch session."""
    if not token or not hmac.compare_digest(csrf_token(secret, launch_id), token):
        raise LaunchError("The form could not be verified (missing or wrong CSRF token).",
                          "Reload the page from the course and submit again.", status=403)
