"""AccessTokens: the assertion's claims, one token per (registration, scopes), shared cache."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
import responses
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_tool.cache import MemoryCache
from lti_tool.lms.errors import LmsAuthError
from lti_tool.lms.tokens import AccessTokens, ServiceRegistration
from lti_tool.lti.keys import SigningKey
from tests.unit.lms.lms_fakes import REGISTRATION, TOKEN_URL, Clock, PinnedHttp, token_reply

SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/score",
          "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"]


def _form(mocked: responses.RequestsMock, index: int = 0) -> dict[str, str]:
    body = mocked.calls[index].request.body
    return {k: v[0] for k, v in parse_qs(body if isinstance(body, str) else body.decode()).items()}


def test_assertion_claims_and_kid(mocked: responses.RequestsMock, tokens: AccessTokens,
                                  rsa_key: rsa.RSAPrivateKey, clock: Clock) -> None:
    token_reply(mocked)
    assert tokens.token(REGISTRATION, SCOPES) == "tok-1"
    form = _form(mocked)
    assert form["grant_type"] == "client_credentials"
    assert form["client_assertion_type"].endswith(":client-assertion-type:jwt-bearer")
    assert form["scope"] == " ".join(sorted(SCOPES))
    assertion = form["client_assertion"]
    assert jwt.get_unverified_header(assertion)["kid"] == "kid-1"
    claims = jwt.decode(assertion, rsa_key.public_key(), algorithms=["RS256"],
                        audience=TOKEN_URL, options={"verify_iat": False, "verify_exp": False})
    assert claims["iss"] == claims["sub"] == "client-7"
    assert claims["aud"] == TOKEN_URL  # exactly, mixed case kept
    assert claims["iat"] == int(clock.now) and claims["exp"] == int(clock.now) + 300
    assert claims["jti"]


def test_audience_overrides_token_url(mocked: responses.RequestsMock,
                                      tokens: AccessTokens) -> None:
    token_reply(mocked)
    tokens.token(ServiceRegistration(8, "c", TOKEN_URL, "https://lms.example"), SCOPES)
    claims = jwt.decode(_form(mocked)["client_assertion"], options={"verify_signature": False})
    assert claims["aud"] == "https://lms.example"


def test_one_token_request_for_many_calls(mocked: responses.RequestsMock,
                                          tokens: AccessTokens) -> None:
    token_reply(mocked)
    for _ in range(5):
        assert tokens.token(REGISTRATION, reversed(SCOPES)) == "tok-1"
    assert len(mocked.calls) == 1


def test_token_renewed_sixty_seconds_before_expiry(mocked: responses.RequestsMock,
                                                   tokens: AccessTokens, clock: Clock) -> None:
    token_reply(mocked, "tok-1", expires_in=3600)
    tokens.token(REGISTRATION, SCOPES)
    clock.now += 3600 - 61
    assert tokens.token(REGISTRATION, SCOPES) == "tok-1"
    token_reply(mocked, "tok-2")
    clock.now += 1
    assert tokens.token(REGISTRATION, SCOPES) == "tok-2"
    assert len(mocked.calls) == 2


def test_scope_sets_get_their_own_tokens(mocked: responses.RequestsMock,
                                         tokens: AccessTokens) -> None:
    token_reply(mocked, "tok-a")
    assert tokens.token(REGISTRATION, SCOPES[:1]) == "tok-a"
    token_reply(mocked, "tok-b")
    assert tokens.token(REGISTRATION, SCOPES) == "tok-b"
    assert tokens.token(REGISTRATION, SCOPES[:1]) == "tok-a"
    assert len(mocked.calls) == 2


def test_cache_shared_between_instances(mocked: responses.RequestsMock, cache: MemoryCache,
                                        signing_key: SigningKey, clock: Clock) -> None:
    first = AccessTokens(PinnedHttp(), cache, lambda: signing_key, clock=clock)
    second = AccessTokens(PinnedHttp(), cache, lambda: signing_key, clock=clock)
    token_reply(mocked)
    assert first.token(REGISTRATION, SCOPES) == second.token(REGISTRATION, SCOPES) == "tok-1"
    assert len(mocked.calls) == 1


def test_forget_drops_the_cached_token(mocked: responses.RequestsMock,
                                       tokens: AccessTokens) -> None:
    token_reply(mocked, "tok-1")
    tokens.token(REGISTRATION, SCOPES)
    tokens.forget(REGISTRATION, list(reversed(SCOPES)))
    token_reply(mocked, "tok-2")
    assert tokens.token(REGISTRATION, SCOPES) == "tok-2"


def test_refusal_is_auth_error_with_the_platform_reason_in_the_log_only(
        mocked: responses.RequestsMock, tokens: AccessTokens,
        caplog: pytest.LogCaptureFixture) -> None:
    mocked.post(TOKEN_URL, status=400, json={"error": "invalid_scope",
                                             "error_description": "score not allowed"})
    with pytest.raises(LmsAuthError) as caught:
        tokens.token(REGISTRATION, SCOPES)
    assert "invalid_scope" not in str(caught.value)
    assert "score not allowed" not in str(caught.value)
    assert "refused the token request" in str(caught.value)
    assert caught.value.status == 400
    assert "eyJ" not in str(caught.value)
    assert "invalid_scope" in caplog.text


def test_each_retry_sends_a_fresh_assertion(mocked: responses.RequestsMock,
                                            tokens: AccessTokens) -> None:
    mocked.post(TOKEN_URL, status=503)
    token_reply(mocked)
    tokens.token(REGISTRATION, SCOPES)
    assert _form(mocked, 0)["client_assertion"] != _form(mocked, 1)["client_assertion"]


class CountingCache(MemoryCache):
    """A MemoryCache that counts its reads."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock=clock)
        self.reads = 0

    def get(self, key: str) -> Any:
        self.reads += 1
        return super().get(key)


def test_a_token_is_held_until_it_expires_without_reading_the_cache_again(
        mocked: responses.RequestsMock, signing_key: SigningKey, clock: Clock) -> None:
    cache = CountingCache(clock)
    shared = AccessTokens(PinnedHttp(), cache, lambda: signing_key, clock=clock)
    token_reply(mocked, "tok-1", expires_in=3600)
    assert shared.token(REGISTRATION, SCOPES) == "tok-1"
    other = AccessTokens(PinnedHttp(), cache, lambda: signing_key, clock=clock)
    reads = cache.reads
    for _ in range(5):
        assert other.token(REGISTRATION, SCOPES) == "tok-1"  # read once, then held
    assert cache.reads == reads + 1
    clock.now += 3600 - 59  # past the held expiry: the cache again, then the platform
    token_reply(mocked, "tok-2")
    assert other.token(REGISTRATION, SCOPES) == "tok-2"
    assert len(mocked.calls) == 2


def test_forget_drops_the_held_token_too(mocked: responses.RequestsMock,
                                         tokens: AccessTokens) -> None:
    token_reply(mocked, "tok-1")
    assert tokens.token(REGISTRATION, SCOPES) == "tok-1"
    tokens.forget(REGISTRATION, SCOPES)
    token_reply(mocked, "tok-2")
    assert tokens.token(REGISTRATION, SCOPES) == "tok-2"
