"""Tool keys encrypted at rest, RFC 7638 kids, and the in-process cache's one-use semantics."""

from __future__ import annotations

from datetime import UTC, datetime

import jwt
import pytest

from lti_tool.cache import MemoryCache
from lti_tool.domain.errors import ConfigurationError
from lti_tool.lti.keys import SigningKey, generate_key, thumbprint
from lti_tool.sealing import unseal
from tests.support.clock import Clock

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_generated_key_signs_and_verifies_with_its_public_jwk() -> None:
    key = generate_key("secret-one", NOW)
    assert "BEGIN" not in key.private_key_encrypted  # encrypted, not a PEM
    assert key.public_jwk["kid"] == key.kid == thumbprint(key.public_jwk)
    assert key.public_jwk["alg"] == "RS256" and "d" not in key.public_jwk
    signer = SigningKey(key.kid, unseal(key.private_key_encrypted, "secret-one"))
    token = jwt.encode({"x": 1}, signer.jwt_key(), algorithm="RS256", headers={"kid": key.kid})
    public = jwt.PyJWK(key.public_jwk).key
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"x": 1}


def test_wrong_secret_cannot_decrypt() -> None:
    key = generate_key("secret-one", NOW)
    with pytest.raises(ConfigurationError, match="CAREERPATH_SECRET_KEY"):
        unseal(key.private_key_encrypted, "secret-two")


def test_memory_cache_add_is_once_and_expires() -> None:
    clock = Clock()
    cache = MemoryCache(clock)
    assert cache.add("nonce", 1, ttl=10) is True
    assert cache.add("nonce", 1, ttl=10) is False
    clock.now += 11
    assert cache.get("nonce") is None
    assert cache.add("nonce", 1, ttl=10) is True


def test_memory_cache_pop_consumes() -> None:
    cache = MemoryCache()
    cache.set("state", {"a": 1}, ttl=60)
    assert cache.pop("state") == {"a": 1}
    assert cache.pop("state") is None


def test_a_person_entry_is_stored_and_noted_for_erasure() -> None:
    from lti_tool.cache import MemoryCache
    from lti_tool.usecases.erasure import forget_person_keys, set_person_entry

    cache = MemoryCache()
    set_person_entry(cache, 1, 7, "launch:a", {"x": 1}, 60)
    set_person_entry(cache, 1, 7, "launch:b", {"x": 2}, 60)
    assert cache.get("launch:a") == {"x": 1} and cache.get("launch:b") == {"x": 2}
    assert forget_person_keys(cache, 1, 7) == 2
    assert cache.get("launch:a") is None and cache.get("launch:b") is None


def test_erasure_drops_entries_an_earlier_release_noted_under_the_old_index() -> None:
    from lti_tool.cache import MemoryCache
    from lti_tool.usecases.erasure import forget_person_keys, set_person_entry

    cache = MemoryCache()
    cache.set("launch:old", {"x": 0}, 60)
    cache.set("person-keys:1:7", ["launch:old", "launch:expired"], 60)
    set_person_entry(cache, 1, 7, "launch:new", {"x": 1}, 60)
    assert forget_person_keys(cache, 1, 7) == 2
    assert cache.get("launch:old") is None and cache.get("launch:new") is None
    assert cache.get("person-keys:1:7") is None
