"""Fixtures for the LMS client unit tests: a mocked network, a pinned clock, a signing key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from lti_tool.cache import MemoryCache
from lti_tool.lms.tokens import AccessTokens
from lti_tool.lti.keys import SigningKey
from tests.unit.lms.lms_fakes import Clock, PinnedHttp


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def signing_key(rsa_key: rsa.RSAPrivateKey) -> SigningKey:
    pem = rsa_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return SigningKey("kid-1", pem)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def http() -> PinnedHttp:
    return PinnedHttp()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> MemoryCache:
    return MemoryCache(clock=clock)


@pytest.fixture
def tokens(http: PinnedHttp, cache: MemoryCache, signing_key: SigningKey,
           clock: Clock) -> AccessTokens:
    return AccessTokens(http, cache, lambda: signing_key, clock=clock)
