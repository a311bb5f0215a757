"""Run WSGI apps on loopback ports in background threads, as real HTTP servers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

WsgiApp = Callable[..., Any]
# how often a serving thread looks for a stop request: `stop()` waits up to this long
# (the standard library's 0.5 s made stopping a test's two servers take up to a second)
POLL_INTERVAL = 0.02


class LiveServer:
    """A threaded HTTP server whose app can be set after the port is known."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.app: WsgiApp | None = None
        self._server: BaseWSGIServer = make_server(host, 0, self._dispatch, threaded=True)
        self.host = host
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        kwargs={"poll_interval": POLL_INTERVAL})

    def url(self, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}"

    def start(self, app: WsgiApp) -> LiveServer:
        self.app = app
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _dispatch(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None, "LiveServer.start(app) was not called"
        return self.app(environ, start_response)
