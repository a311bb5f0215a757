"""The login's redirect query is exactly what `urlencode` would make."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from lti_tool.cache import MemoryCache
from lti_tool.lti.login import query_string, start_login
from lti_tool.records import PlatformRegistration

VALUES = ["", "openid", "id_token", "form_post", "a b", "a+b", "a&b=c", "100%", "x/y?z#w",
          "~tilde-._", "Élodie", "日本", "http://127.0.0.1:5000/lti/launch?x=1&y=2",
          "\n", "\x00", "a\u2028b"]


def test_same_as_urlencode_for_known_values() -> None:
    params = {f"k{i}": value for i, value in enumerate(VALUES)}
    assert query_string(params) == urlencode(params)
    assert query_string({"a b": "c", "é": "&"}) == urlencode({"a b": "c", "é": "&"})


@given(st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=30), max_size=6))
def test_same_as_urlencode_for_any_text(params: dict[str, str]) -> None:
    assert query_string(params) == urlencode(params)


def test_the_login_redirect_carries_every_parameter() -> None:
    registration = PlatformRegistration(
        id=1, tenant_id=1, issuer="https://lms.example", client_id="client one",
        name="LMS", auth_login_url="https://lms.example/auth?tenant=a b",
        auth_token_url="https://lms.example/token", keyset_url="https://lms.example/jwks",
        auth_audience="", registered_via="manual", created_at=None, status="approved",
        deployment_policy="listed")
    redirect = start_login({"iss": "https://lms.example", "login_hint": "user 1&x",
                            "target_link_uri": "https://tool/lti/launch",
                            "lti_message_hint": "hint+1"},
                           registration, "https://tool/lti/launch", MemoryCache())
    query = dict(parse_qsl(urlsplit(redirect.auth_url).query))
    assert redirect.auth_url.startswith("https://lms.example/auth?tenant=a b&scope=openid&")
    assert query["login_hint"] == "user 1&x" and query["lti_message_hint"] == "hint+1"
    assert query["client_id"] == "client one" and query["state"] == redirect.pending.state
    assert query["nonce"] == redirect.pending.nonce
    assert query["redirect_uri"] == "https://tool/lti/launch"
