"""Connections that resolve a host once, check every address, and connect to what they checked.

The check happens where the socket is made (urllib3's `_new_conn`), so no second lookup
can swap the address (DNS rebinding); TLS still sends SNI and verifies the certificate for
the host name, and the Host header names the host. A `Budget` bounds the whole exchange:
when its time is up, every socket the call opened or reused is shut down.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Sequence
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import connection as urllib3_connection

from .addresses import AllowList, IPAddress, parse_address, refusal
from .deadlines import DEADLINES, Deadline, Deadlines
from .errors import OutboundRefused, OutboundUnreachable

Resolver = Callable[[str, int], Sequence[str]]
Connector = Callable[..., socket.socket]
_local = threading.local()


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host`, in its order, once each."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundUnreachable(f"the host {host} could not be resolved ({exc})") from None
    found: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]
        if address not in found:
            found.append(address)
    return found


class Budget:
    """The time left to one call; when it runs out, the call's sockets are shut down (by
    the process's one deadline thread, outbound.deadlines)."""

    def __init__(self, seconds: float, deadlines: Deadlines = DEADLINES) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._deadlines = deadlines
        self._deadline: Deadline | None = None

    def __enter__(self) -> Budget:
        self._previous = getattr(_local, "budget", None)
        _local.budget = self
        self._deadline = self._deadlines.add(self.seconds, self._expire)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._deadline is not None:
            self._deadline.done = True
        with self._lock:  # the deadline stays queued until its time: it holds no socket
            self._sockets.clear()
        _local.budget = self._previous

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _watch(sock: socket.socket | None) -> None:
    budget = getattr(_local, "budget", None)
    if budget is not None:
        budget.watch(sock)


class AddressGuard:
    """Resolves once, refuses what the policy refuses, connects to a checked address."""

    def __init__(self, allow: AllowList, resolver: Resolver = system_resolver,
                 connector: Connector = urllib3_connection.create_connection) -> None:
        self.allow = allow
        self.resolver = resolver
        self.connector = connector

    def checked_addresses(self, host: str, port: int, scheme: str) -> list[str]:
        """The addresses of `host` the call may use, or OutboundRefused (nothing sent)."""
        literal = parse_address(host)
        addresses = [str(literal)] if literal is not None else list(self.resolver(host, port))
        if not addresses:
            raise OutboundUnreachable(f"the host {host} has no address")
        listed = literal is None and self.allow.allows_host(host)
        for text in addresses:
            address = parse_address(text)
            if address is None:
                raise OutboundRefused(f"the host {host} resolved to a malformed address")
            self._check(host, address, scheme, listed)
        return addresses

    def _check(self, host: str, address: IPAddress, scheme: str, listed: bool) -> None:
        if listed or self.allow.allows_address(address):
            return
        if scheme != "https":
            raise OutboundRefused(f"plain {scheme} is allowed only to hosts on "
                                  f"CAREERPATH_OUTBOUND_ALLOW; use https for {host}")
        why = refusal(address)
        if why:
            shown = host if str(address) == host.strip("[]") else f"{host} ({address})"
            raise OutboundRefused(f"the address {shown} is refused: {why}")

    def connect(self, host: str, port: int, scheme: str, timeout: Any,
                source_address: Any, socket_options: Any) -> socket.socket:
        last: OSError | None = None
        for address in self.checked_addresses(host, port, scheme):
            try:
                sock = self.connector((address, port), timeout, source_address=source_address,
                                      socket_options=socket_options)
            except OSError as exc:
                last = exc
                continue
            _watch(sock)
            return sock
        assert last is not None
        raise last


class _GuardedConnection:
    """Mixin over urllib3's connections: `_new_conn` through the guard."""

    guard: AddressGuard
    scheme_name = "http"

    def _new_conn(self) -> socket.socket:  # urllib3's hook, kept private there
        from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

        conn: Any = self
        try:
            return self.guard.connect(conn.host, conn.port, self.scheme_name, conn.timeout,
                                      conn.source_address, conn.socket_options)
        except TimeoutError as exc:
            raise ConnectTimeoutError(conn, f"connecting to {conn.host} timed out") from exc
        except OSError as exc:
            raise NewConnectionError(conn, f"could not connect to {conn.host}: {exc}") from exc

    def request(self, *args: Any, **kwargs: Any) -> None:
        conn: Any = self
        _watch(conn.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]
        _watch(conn.sock)


def guarded_adapter(guard: AddressGuard, pool_maxsize: int = 10) -> HTTPAdapter:
    """A requests adapter whose every connection goes through `guard`."""

    class Connection(_GuardedConnection, HTTPConnection):
        pass

    class SecureConnection(_GuardedConnection, HTTPSConnection):
        scheme_name = "https"

    Connection.guard = SecureConnection.guard = guard

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    class GuardedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}

        def proxy_manager_for(self, *_args: Any, **_kwargs: Any) -> Any:
            raise OutboundRefused("outbound calls do not go through proxies")

    return GuardedAdapter(pool_connections=4, pool_maxsize=pool_maxsize, max_retries=0)
