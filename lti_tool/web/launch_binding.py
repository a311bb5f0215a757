"""A launch session belongs to the browser that made it: a partitioned cookie binds them.

The launch id travels in `?launch=` URLs (a frame has no other state it can count on);
it names the session, the cookie proves the browser. The cookie is `SameSite=None; Secure;
Partitioned` (CHIPS) so that Chromium keeps it in the LMS's third-party frame, and
`__Host-` so that no sibling subdomain can plant one. One browser keeps one value for all
its launches (several CareerPath links may sit on one LMS page).

A page that must open in a window of its own (Canvas's OAuth page refuses frames) cannot
use the cookie: a partitioned cookie stays with the LMS's frame. Its link carries a
one-time handoff instead, made by a page of the bound browser: good for one GET, for five
minutes, for that launch only.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Any

from flask import Response, current_app, g, request, url_for

from ..bootstrap import services
from ..usecases.launch import LAUNCH_TTL, LaunchSession, launch_session
from .security_headers import frame_for
from .translations import use_locale

BROWSER_COOKIE = "__Host-careerpath_browser"
HANDOFF_TTL = 300
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
    svc = services(current_app)
    launch = launch_session(svc.cache, launch_id, request.cookies.get(BROWSER_COOKIE, ""),
                            svc.settings.launch_idle_minutes * 60,
                            handed_off=_spend_handoff(launch_id))
    frame_for(launch.platform_origins)
    use_locale(launch.locale)  # its pages, and any error they raise, in the launch's language
    return launch


def handoff_url(endpoint: str, launch: LaunchSession, **values: Any) -> str:
    """A URL opening `endpoint` for `launch` in a new window, once (see the module's note)."""
    token = secrets.token_urlsafe(24)
    services(current_app).cache.set(f"launch-handoff:{token}", launch.launch_id, HANDOFF_TTL)
    return url_for(endpoint, launch=launch.launch_id, handoff=token, **values)


def _spend_handoff(launch_id: str) -> bool:
    """Whether this GET carries an unspent handoff made for `launch_id` (spent now)."""
    token = request.args.get("handoff", "")
    if request.method != "GET" or not token or not launch_id:
        return False
    owner = services(current_app).cache.pop(f"launch-handoff:{token}")
    return isinstance(owner, str) and hmac.compare_digest(owner, launch_id)
