"""The outbound client itself: addresses, names, rebinding, redirects, size and time.

Traffic goes only to listeners on 127.0.0.1. Name-based cases use a stub resolver, and a
recording connector stands in for the socket whenever a case names a non-loopback address,
so not even a refused call can reach a private or public address.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from lti_tool.lms.errors import LmsConnectionError, LmsServerError
from lti_tool.lms.http import HttpClient
from lti_tool.outbound import (
    JSON_DOCUMENT_BYTES,
    AllowList,
    OutboundRefused,
    OutboundSession,
    OutboundTimeout,
    OutboundTooLarge,
    OutboundUnreachable,
)
from tests.security.outbound_listener import Listener, Seen, redirect, reply

LOOPBACK = AllowList.parse("127.0.0.0/8")


class StubResolver:
    """Answers from a table (one list per call, the last repeating); records the calls.

    A name not in the table is unknown: no real DNS server is ever asked.
    """

    def __init__(self, **answers: list[list[str]] | list[str]) -> None:
        self.answers = {host.replace("_", "."): value for host, value in answers.items()}
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.answers:
            raise OutboundUnreachable(f"the stub resolver does not know {host}")
        found = self.answers[host]
        if found and isinstance(found[0], list):
            turn = sum(1 for h in self.calls if h == host) - 1
            return list(found[min(turn, len(found) - 1)])
        return list(found)  # type: ignore[arg-type]


class RecordingConnector:
    """Never connects: records where a socket would have gone and refuses."""

    def __init__(self) -> None:
        self.addresses: list[tuple[str, int]] = []

    def __call__(self, address: tuple[str, int], *_: Any, **__: Any) -> Any:
        self.addresses.append(address)
        raise ConnectionRefusedError("recording connector: no traffic leaves this test")


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def second() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def production(**options: Any) -> OutboundSession:
    """The client as production builds it: an empty allow-list."""
    return OutboundSession(AllowList(), **options)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_loopback_is_refused_with_an_empty_allow_list(listener: Listener, scheme: str) -> None:
    with pytest.raises(OutboundRefused):
        production().get(listener.url("/", scheme=scheme))
    for host in ("localhost", "[::ffff:127.0.0.1]", "0.0.0.0"):  # noqa: S104 - a target
        with pytest.raises(OutboundRefused):
            production().get(listener.url("/", host=host, scheme="https"))
    assert listener.connections == 0 and listener.requests == []


def test_the_allow_list_lets_a_call_reach_loopback(listener: Listener) -> None:
    answer = OutboundSession(LOOPBACK).get(listener.url("/ok"))
    assert answer.status_code == 200 and answer.json() == {}
    assert [seen.path for seen in listener.requests] == ["/ok"]


def test_a_name_resolving_to_loopback_is_refused(listener: Listener) -> None:
    resolver = StubResolver(lms_attacker_test=["127.0.0.1"])
    with pytest.raises(OutboundRefused, match="loopback"):
        production(resolver=resolver).get(
            f"https://lms.attacker.test:{listener.port}/api")
    assert resolver.calls == ["lms.attacker.test"] and listener.connections == 0


@pytest.mark.parametrize("answer", [["10.0.0.7"], ["192.168.4.4"], ["169.254.169.254"],
                                    ["100.64.1.1"], ["8.8.8.8", "172.16.9.9"],
                                    ["::ffff:10.0.0.1"], ["fd00::1"]])
def test_a_name_resolving_to_a_non_global_address_is_refused_before_any_socket(
        answer: list[str]) -> None:
    connector = RecordingConnector()
    session = production(resolver=StubResolver(intranet_example=answer), connector=connector)
    with pytest.raises(OutboundRefused):
        session.get("https://intranet.example/secrets")
    assert connector.addresses == []


def test_dns_rebinding_cannot_swap_the_checked_address(listener: Listener) -> None:
    """First answer global, every later one loopback: the client resolves once and
    connects to the address it checked, so the loopback answer is never used."""
    resolver = StubResolver(rebind_example=[["8.8.8.8"], ["127.0.0.1"]])
    connector = RecordingConnector()
    with pytest.raises(requests.ConnectionError):
        production(resolver=resolver, connector=connector).get(
            f"https://rebind.example:{listener.port}/")
    assert resolver.calls == ["rebind.example"]
    assert connector.addresses == [("8.8.8.8", listener.port)]
    assert listener.connections == 0


def test_the_pinned_connection_keeps_the_host_name(listener: Listener) -> None:
    resolver = StubResolver(lms_example_edu=["127.0.0.1"])
    session = OutboundSession(LOOPBACK, resolver=resolver)
    assert session.get(f"http://lms.example.edu:{listener.port}/x").status_code == 200
    assert listener.requests[0].headers["host"] == f"lms.example.edu:{listener.port}"


def test_plain_http_needs_the_allow_list() -> None:
    connector = RecordingConnector()
    session = production(resolver=StubResolver(lms_example_edu=["8.8.8.8"]),
                         connector=connector)
    with pytest.raises(OutboundRefused, match="https"):
        session.get("http://lms.example.edu/jwks")
    assert connector.addresses == []


def test_a_redirect_to_a_refused_address_is_not_followed(listener: Listener,
                                                         second: Listener) -> None:
    """Only the name `lms.example.edu` is allowed; it redirects to 127.0.0.1 itself."""
    listener.answer = lambda seen: redirect(second.url("/inside"))
    session = OutboundSession(AllowList.parse("lms.example.edu"),
                              resolver=StubResolver(lms_example_edu=["127.0.0.1"]))
    with pytest.raises(OutboundRefused):
        session.get(f"http://lms.example.edu:{listener.port}/config")
    assert len(listener.requests) == 1 and second.connections == 0


def test_a_redirect_to_another_scheme_is_refused(listener: Listener) -> None:
    listener.answer = lambda seen: redirect(listener.url("/tls", scheme="https"))
    with pytest.raises(OutboundRefused, match="another scheme"):
        OutboundSession(LOOPBACK).get(listener.url("/plain"))
    assert [seen.path for seen in listener.requests] == ["/plain"]


def test_three_redirects_are_followed_and_a_fourth_is_refused(listener: Listener) -> None:
    def hops(seen: Seen) -> bytes:
        number = int(seen.path.strip("/") or 0)
        return redirect(f"/{number + 1}") if number < 10 else reply()

    listener.answer = hops
    with pytest.raises(OutboundRefused, match="more than 3 redirects"):
        OutboundSession(LOOPBACK).get(listener.url("/0"))
    assert [seen.path for seen in listener.requests] == ["/0", "/1", "/2", "/3"]
    listener.requests.clear()
    assert OutboundSession(LOOPBACK).get(listener.url("/7")).status_code == 200
    assert [seen.path for seen in listener.requests] == ["/7", "/8", "/9", "/10"]


def test_a_redirect_to_another_host_drops_the_authorization(listener: Listener,
                                                            second: Listener) -> None:
    listener.answer = lambda seen: redirect(second.url("/next"))
    OutboundSession(LOOPBACK).get(listener.url("/"), headers={"Authorization": "Bearer t"})
    assert listener.requests[0].headers["authorization"] == "Bearer t"
    assert "authorization" not in second.requests[0].headers


def test_a_post_is_not_redirected(listener: Listener, second: Listener) -> None:
    listener.answer = lambda seen: redirect(second.url("/moved"), 307)
    answer = OutboundSession(LOOPBACK).post(listener.url("/register"), json={"a": 1})
    assert answer.status_code == 307 and second.connections == 0


def test_a_declared_oversized_body_is_refused(listener: Listener) -> None:
    listener.answer = lambda seen: reply(body=b"x" * 5000)
    with pytest.raises(OutboundTooLarge):
        OutboundSession(LOOPBACK, max_bytes=4096).get(listener.url("/"))


def test_an_undeclared_oversized_body_is_cut_at_the_cap(listener: Listener) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
    listener.answer = lambda seen: [(head, 0.0)] + [(b"[" * 65536, 0.0)] * 100
    client = HttpClient(OutboundSession(LOOPBACK), max_retries=0)
    with pytest.raises(OutboundTooLarge, match=str(JSON_DOCUMENT_BYTES)):
        client.fetch_json(listener.url("/jwks"))
    assert OutboundSession(LOOPBACK).get(listener.url("/big"), max_bytes=7 * 2 ** 20)


def test_a_slow_drip_ends_at_the_total_time(listener: Listener) -> None:
    """Each byte comes well within the read timeout; the total time still ends the call."""
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
    listener.answer = lambda seen: [(head, 0.0)] + [(b" ", 0.2)] * 1000
    started = time.monotonic()
    with pytest.raises(OutboundTimeout):
        OutboundSession(LOOPBACK, total_seconds=1.5).get(listener.url("/"), timeout=(2, 5))
    assert time.monotonic() - started < 3.0


def test_slow_headers_end_at_the_total_time(listener: Listener) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n" + b"X-Pad: y\r\n" * 200
    listener.answer = lambda seen: [(head[i:i + 8], 0.1) for i in range(0, len(head), 8)]
    started = time.monotonic()
    with pytest.raises(OutboundTimeout):
        OutboundSession(LOOPBACK, total_seconds=1.0).get(listener.url("/"), timeout=(2, 5))
    assert time.monotonic() - started < 2.5


def test_proxies_from_the_environment_are_not_used(listener: Listener, second: Listener,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, second.url())
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert OutboundSession(LOOPBACK).get(listener.url("/direct")).status_code == 200
    assert second.connections == 0 and len(listener.requests) == 1


def test_an_error_carries_no_remote_body(listener: Listener,
                                         caplog: pytest.LogCaptureFixture) -> None:
    body = b'{"detail": "REMOTE-BODY-TEXT", "access_token": "tok-SECRET"}' + b"z" * 900
    listener.answer = lambda seen: reply(500, body)
    client = HttpClient(OutboundSession(LOOPBACK), max_retries=0)
    with pytest.raises(LmsServerError) as caught:
        client.request("GET", listener.url("/members"))
    assert "REMOTE-BODY-TEXT" not in str(caught.value)
    assert "REMOTE-BODY-TEXT" not in caught.value.message
    logged = [r.getMessage() for r in caplog.records if "REMOTE-BODY-TEXT" in r.getMessage()]
    assert logged and all("tok-SECRET" not in line for line in logged)
    excerpt = logged[0].split(": ", 1)[1].split(": ", 1)[1]
    assert len(excerpt.encode()) <= 200


def _certificate(tmp_path: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for `host` (its own CA), as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_tls_verifies_the_host_name_on_the_pinned_address(tmp_path: Path) -> None:
    """The socket goes to the checked 127.0.0.1; SNI and the certificate check still use
    the name: a certificate for lms.example.edu passes for it and fails for another name."""
    cert_file, key_file = _certificate(tmp_path, "lms.example.edu")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)  # type: ignore[assignment]
    tls = Listener(tls=context)
    try:
        resolver = StubResolver(lms_example_edu=["127.0.0.1"], other_example_edu=["127.0.0.1"])
        session = OutboundSession(LOOPBACK, resolver=resolver)
        answer = session.get(f"https://lms.example.edu:{tls.port}/jwks", verify=str(cert_file))
        assert answer.status_code == 200 and names == ["lms.example.edu"]
        assert tls.requests[0].headers["host"] == f"lms.example.edu:{tls.port}"
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"https://other.example.edu:{tls.port}/jwks", verify=str(cert_file))
        assert len(tls.requests) == 1
    finally:
        tls.close()


def test_the_lms_client_does_not_retry_a_call_that_used_its_total_time(
        listener: Listener) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
    listener.answer = lambda seen: [(head, 0.0)] + [(b" ", 0.2)] * 100
    client = HttpClient(OutboundSession(LOOPBACK, total_seconds=1.0), max_retries=3,
                        sleep=lambda seconds: None)
    with pytest.raises(LmsConnectionError, match="too slowly"):
        client.request("GET", listener.url("/members"))
    assert len(listener.requests) == 1
