"""A raw HTTP listener on 127.0.0.1 that records every connection and request it gets.

A refused outbound call shows as nothing here. Answers are scripted per path: bytes, or
an iterator of (bytes, pause) pieces for slow answers.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tests.support.servers import POLL_INTERVAL

Answer = bytes | Iterable[tuple[bytes, float]]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


def reply(status: int = 200, body: bytes = b"{}", headers: dict[str, str] | None = None,
          content_type: str = "application/json") -> bytes:
    """A complete HTTP/1.1 answer that closes the connection."""
    lines = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}",
             f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def redirect(location: str, status: int = 302) -> bytes:
    return reply(status, b"", {"Location": location})


@dataclass
class Listener:
    """Listens on 127.0.0.1 (port chosen by the system) until `close()`."""

    answer: Callable[[Seen], Answer] = field(default=lambda seen: reply())
    tls: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        listener = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                listener._handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._lock = threading.Lock()
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         kwargs={"poll_interval": POLL_INTERVAL}).start()

    def url(self, path: str = "/", host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
        sock.settimeout(5)
        data = b""
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip()
                       for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
            while len(body) < int(headers.get("content-length", "0")):
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
            seen = Seen(method, path, headers, body)
            with self._lock:
                self.requests.append(seen)
            answer = self.answer(seen)
            if isinstance(answer, bytes):
                sock.sendall(answer)
                return
            for piece, pause in answer:
                sock.sendall(piece)
                time.sleep(pause)
        except OSError:
            return
        finally:
            sock.close()
