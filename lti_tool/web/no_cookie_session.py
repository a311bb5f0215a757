"""The tool keeps nothing in Flask's signed cookie session.

Login state, nonces and launch sessions live server-side in the shared cache (one use,
shared by every worker and host); the browser holds only the state cookie and the
binding cookie (lti.views, web.launch_binding). Flask would still open its cookie session
on every request (build a signing serializer, look for the cookie) and could be asked to
write one: this interface opens none, saves none, and a write fails loudly.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, Request, Response
from flask.sessions import NullSession, SessionInterface

NO_SESSION = ("CareerPath keeps no state in Flask's cookie session: keep it in the shared "
              "cache (services.cache), keyed by the launch session")


class NoSession(NullSession):
    """An empty session that refuses every write."""

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise RuntimeError(NO_SESSION)

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _refuse


class NoCookieSession(SessionInterface):
    """Flask's session interface that reads and writes no cookie."""

    null_session_class = NoSession

    def open_session(self, app: Flask, request: Request) -> NoSession:
        return NoSession()

    def save_session(self, app: Flask, session: Any, response: Response) -> None:
        return None


def init_app(app: Flask) -> None:
    app.session_interface = NoCookieSession()
