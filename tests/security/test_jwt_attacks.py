"""Every id_token attack named in the "Benchmarks, load, faults and attacks" issue, refused.

Each attack runs against the live tool and sandbox LMS: a login at the tool, then a crafted
id_token posted to /lti/launch. Each must get a 4xx page (never a 5xx or a traceback) and
write nothing to people or memberships. Claims and signing reuse the helpers of the
certification module (tests/integration/lti/test_lti_certification_cases.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import Flask, jsonify
from sqlalchemy import func, select

from lti_tool.bootstrap import services
from lti_tool.store.models import MembershipRow, PersonRow
from lti_tool.usecases.platforms import PlatformInput, register_platform
from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_certification_cases import claims, login, post_launch, signed
from tests.support.browser import Browser
from tests.support.servers import LiveServer

NOW_SKEW = 3600


def counts(live: LiveLti) -> tuple[int, int]:
    with services(live.tool).database.session() as session:
        return (session.scalar(select(func.count()).select_from(PersonRow)) or 0,
                session.scalar(select(func.count()).select_from(MembershipRow)) or 0)


def refused(live: LiveLti, attempt: Callable[[], requests.Response],
            statuses: frozenset[int] = frozenset({400, 401, 403})) -> requests.Response:
    """Run an attack: a 4xx page, no traceback, nothing written to people or memberships."""
    before = counts(live)
    page = attempt()
    assert page.status_code in statuses, (page.status_code, page.text[:400])
    assert "What failed:" in page.text and "Traceback" not in page.text
    assert counts(live) == before
    return page


def sandbox_public_jwk(live: LiveLti) -> dict[str, Any]:
    return live.sandbox.extensions["careerpath_sandbox"].keys.jwks()["keys"][0]


def attack(live: LiveLti, make_token: Callable[[str], str]) -> requests.Response:
    """A fresh login, then the token made for its nonce posted with its state."""
    browser = Browser()
    state, nonce = login(live, browser)
    return post_launch(live, browser, state, make_token(nonce))


# --- signature algorithm -------------------------------------------------------------------

def test_alg_none_is_refused(live: LiveLti) -> None:
    kid = sandbox_public_jwk(live)["kid"]
    refused(live, lambda: attack(live, lambda nonce: jwt.encode(
        claims(live, nonce), key=None, algorithm="none", headers={"kid": kid})))


def hs256(body: dict[str, Any], secret: bytes, kid: str) -> str:
    """An HS256 JWT made by hand (PyJWT refuses a PEM as an HMAC secret, as it should)."""
    def part(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    signing_input = ".".join(part(json.dumps(x).encode()) for x in (
        {"alg": "HS256", "typ": "JWT", "kid": kid}, body))
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(mac)}"


def test_hs256_signed_with_the_platforms_public_key_is_refused(live: LiveLti) -> None:
    public = sandbox_public_jwk(live)
    pem = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(public)).public_bytes(
        encoding=Encoding.PEM, format=PublicFormat.SubjectPublicKeyInfo)
    for secret in (pem, public["n"].encode(), json.dumps(public).encode()):
        page = refused(live, lambda secret=secret: attack(live, lambda nonce: hs256(
            claims(live, nonce), secret, public["kid"])))
        assert "not RS256" in page.text


# --- keys named by the token itself --------------------------------------------------------

@pytest.fixture(scope="module")
def attacker() -> Iterator[tuple[Any, str, list[str]]]:
    """The attacker's key pair and a server publishing it (JWKS and certificate URLs)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    hits: list[str] = []
    app = Flask("attacker")

    @app.get("/<path:anything>")
    def serve(anything: str) -> Any:
        hits.append(anything)
        return jsonify({"keys": [{**public, "kid": "attacker", "alg": "RS256", "use": "sig"}]})

    server = LiveServer("127.0.0.1").start(app)
    try:
        yield key, server.url(), hits
    finally:
        server.stop()


@pytest.mark.parametrize("header", ["jku", "x5u", "jwk"])
def test_key_named_in_the_header_is_never_used(live: LiveLti, header: str,
                                               attacker: tuple[Any, str, list[str]]) -> None:
    key, url, hits = attacker
    embedded = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())),
                "kid": "attacker"}
    value: Any = {"jku": f"{url}/jwks.json", "x5u": f"{url}/cert.pem", "jwk": embedded}[header]
    for kid in ("attacker", sandbox_public_jwk(live)["kid"]):
        refused(live, lambda kid=kid: attack(live, lambda nonce: jwt.encode(
            claims(live, nonce), key, algorithm="RS256", headers={"kid": kid, header: value})))
    assert hits == [], f"the tool fetched the attacker's {header}: {hits}"


# --- kid used as a path or a query ----------------------------------------------------------

class FileOpens:
    """An audit hook recording every file the process opens while armed."""

    def __init__(self) -> None:
        self.armed = threading.Event()
        self.paths: list[str] = []
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.armed.is_set() and event == "open" and args and isinstance(args[0], str | bytes):
            self.paths.append(str(args[0]))


@pytest.fixture(scope="module")
def file_opens() -> FileOpens:
    found = FileOpens()
    found.armed.set()
    with open(__file__, "rb"):  # the hook works: this open is seen
        pass
    found.armed.clear()
    assert __file__ in found.paths
    return found


@pytest.mark.parametrize("kid", ["../../etc/passwd", "../../../../../../etc/passwd%00",
                                 "x' OR '1'='1'; DROP TABLE people; --",
                                 "$(id)`id`|id;{\"$ne\":null}<script>\\..\\..\\"])
def test_kid_traversal_or_injection_touches_no_file(live: LiveLti, kid: str,
                                                     file_opens: FileOpens) -> None:
    file_opens.paths.clear()
    file_opens.armed.set()
    try:
        refused(live, lambda: attack(live, lambda nonce: signed(
            live, claims(live, nonce), kid=kid)))
    finally:
        file_opens.armed.clear()
    touched = [p for p in file_opens.paths if "passwd" in p or "etc" in p.split("/")[:3]
               or kid in p]
    assert touched == [], touched


# --- time, nonce, state ---------------------------------------------------------------------

def test_expired_id_token_is_refused(live: LiveLti) -> None:
    import time

    now = int(time.time())
    page = refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, exp=now - NOW_SKEW, iat=now - NOW_SKEW - 300))))
    assert "expired" in page.text


def test_iat_in_the_future_is_refused(live: LiveLti) -> None:
    import time

    now = int(time.time())
    page = refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, iat=now + NOW_SKEW, exp=now + 2 * NOW_SKEW))))
    assert "future" in page.text


def test_replayed_nonce_is_refused(live: LiveLti) -> None:
    browser = Browser()
    state, nonce = login(live, browser)
    token = signed(live, claims(live, nonce, sub="replay-user"))
    assert post_launch(live, browser, state, token).status_code == 200
    # the same id_token and state again
    refused(live, lambda: post_launch(live, browser, state, token))
    # the used id_token under a new login's state
    new_state, _ = login(live, browser)
    refused(live, lambda: post_launch(live, browser, new_state, token))


def test_id_token_of_another_login_is_refused(live: LiveLti) -> None:
    browser = Browser()
    _state_a, nonce_a = login(live, browser)
    state_b, _nonce_b = login(live, browser)
    token_a = signed(live, claims(live, nonce_a, sub="state-mix-user"))
    page = refused(live, lambda: post_launch(live, browser, state_b, token_a))
    assert "nonce" in page.text


def test_state_cookie_of_another_login_does_not_launch(live: LiveLti) -> None:
    """The victim's state posted from the attacker's browser (which holds only its own
    state cookie) never launches: the tool offers to restart the login in a new window."""
    victim, intruder = Browser(), Browser()
    state_v, nonce_v = login(live, victim)
    login(live, intruder)
    token = signed(live, claims(live, nonce_v, sub="cookie-mix-user"))
    before = counts(live)
    page = post_launch(live, intruder, state_v, token)
    assert page.status_code < 500 and "Traceback" not in page.text
    assert "Open CareerPath in a new window" in page.text and "Welcome" not in page.text
    assert counts(live) == before
    # nor does a state the tool never issued, with a matching cookie set by the attacker
    intruder.session.cookies.set("lti1p3-state-made-up", "made-up")
    refused(live, lambda: post_launch(live, intruder, "made-up", token))


# --- audience, deployment, issuer -----------------------------------------------------------

def test_several_aud_without_azp_is_refused(live: LiveLti) -> None:
    client_id = live.platform.registration.client_id
    refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, aud=[client_id, "another-tool"]))))
    refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, aud=[client_id, "another-tool"], azp="another-tool"))))


def test_unregistered_deployment_is_refused(live: LiveLti) -> None:
    page = refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, lti_deployment_id="deployment-nobody-registered"))))
    assert "is not registered" in page.text


def test_issuer_not_matching_the_client_id_is_refused(live: LiveLti) -> None:
    other = register_platform(services(live.tool).database, PlatformInput(
        issuer="https://other-lms.example", client_id="other-client",
        deployment_ids=["other-dep"], auth_login_url="https://other-lms.example/auth",
        auth_token_url="https://other-lms.example/token",
        keyset_url="https://other-lms.example/jwks", name="Other LMS"))
    # a token from the other registration's issuer, for the sandbox's client id
    refused(live, lambda: attack(live, lambda nonce: signed(live, claims(
        live, nonce, iss=other.registration.issuer))))
    # a login naming the other issuer with the sandbox's client id finds no registration
    before = counts(live)
    response = Browser().session.post(f"{live.tool_url}/lti/login", data={
        "iss": other.registration.issuer, "login_hint": "u",
        "target_link_uri": f"{live.tool_url}/lti/launch",
        "client_id": live.platform.registration.client_id}, allow_redirects=False, timeout=10)
    assert 400 <= response.status_code < 500 and "Traceback" not in response.text
    assert counts(live) == before
