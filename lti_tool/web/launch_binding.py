"""A launch session belongs to the browser that made it: a partitioned cookie binds them.

The launch id travels in `?launch=` URLs (a frame has no other state it can count on);
it names the session, the cookie proves the browser. The cookie is `SameSite=None; Secure;
Partitioned` (CHIPS) so that Chromium keeps it in the LMS's third-party frame, and
`__Host-` so that no sibling subdomain can plant one. One browser keeps one value for all
its launches (several CareerPath links may sit on one LMS page).
"""

from __future__ import annotations

import re
import secrets

from flask import Response, current_app, g, request

from ..bootstrap import services
from ..usecases.launch import LAUNCH_TTL, LaunchSession, launch_session
from .security_headers import frame_for

BROWSER_COOKIE = "__Host-careerpath_browser"
_WELL_FORMED = re.compile(r"^[A-Za-z0-9_-]{43}$")


def browser_key() -> str:
    """This browser's binding value: the one its cookie holds, or a new one for this launch."""
    if "browser_key" not in g:
        given = request.cookies.get(BROWSER_COOKIE, "")
        g.browser_key = given if _WELL_FORMED.match(given) else secrets.token_urlsafe(32)
    return str(g.browser_key)


def bind_browser(response: Response) -> Response:
    """Set (or refresh) the binding cookie on a launch's response."""
    response.set_cookie(BROWSER_COOKIE, browser_key(), max_age=LAUNCH_TTL, path="/",
                        secure=True, httponly=True, samesite="None", partitioned=True)
    return response


def current_launch_session(launch_id: str) -> LaunchSession:
    """The launch session `launch_id` names, for this browser only; its page is framed by
    the launch's platform origins."""
    settings = services(current_app).settings
    launch = launch_session(services(current_app).cache, launch_id,
                            request.cookies.get(BROWSER_COOKIE, ""),
                            settings.launch_idle_minutes * 60)
    frame_for(launch.platform_origins)
    return launch
