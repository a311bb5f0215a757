"""Platform keys: a process-local copy for a few seconds, the shared cache, then the platform."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from lti_tool.cache import MemoryCache
from lti_tool.lti.errors import LaunchError
from lti_tool.lti.keys import generate_key
from lti_tool.lti.platform_keys import LOCAL_TTL, REFETCH_INTERVAL, PlatformKeys, jwks_key
from tests.support.clock import Clock

NOW = datetime(2026, 12, 6, tzinfo=UTC)
URL, OTHER_URL = "https://lms.example/jwks", "https://other-lms.example/jwks"


class CountingCache(MemoryCache):
    """The shared cache, counting reads."""

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.reads = 0

    def get(self, key: str) -> Any | None:
        self.reads += 1
        return super().get(key)


class Platform:
    """Key sets served per URL, counting fetches."""

    def __init__(self) -> None:
        self.sets: dict[str, list[dict[str, Any]]] = {}
        self.fetches: list[str] = []

    def publish(self, url: str) -> str:
        jwk = generate_key("secret", NOW).public_jwk
        self.sets.setdefault(url, []).append(jwk)
        return str(jwk["kid"])

    def __call__(self, url: str) -> dict[str, Any]:
        self.fetches.append(url)
        return {"keys": list(self.sets.get(url, []))}


@pytest.fixture
def clock() -> Clock:
    return Clock()


def keys_of(platform: Platform, shared: MemoryCache, clock: Clock) -> PlatformKeys:
    return PlatformKeys(shared, platform, MemoryCache(clock))


def test_repeat_launches_read_the_shared_cache_once_per_local_period(clock: Clock) -> None:
    platform, shared = Platform(), CountingCache(clock)
    kid = platform.publish(URL)
    keys = keys_of(platform, shared, clock)
    first = keys.key_for(1, URL, kid, "RS256")
    reads = shared.reads
    for _ in range(5):
        assert keys.key_for(1, URL, kid, "RS256") is first
    assert shared.reads == reads and platform.fetches == [URL]
    clock.now += LOCAL_TTL + 1
    keys.key_for(1, URL, kid, "RS256")
    assert shared.reads == reads + 1 and platform.fetches == [URL]


def test_a_kid_fetched_by_another_worker_is_found_in_the_shared_cache(clock: Clock) -> None:
    platform, shared = Platform(), MemoryCache(clock)
    old_kid = platform.publish(URL)
    this_worker, other_worker = keys_of(platform, shared, clock), keys_of(platform, shared, clock)
    this_worker.key_for(1, URL, old_kid, "RS256")
    new_kid = platform.publish(URL)  # the platform adds a key; the other worker fetches it
    other_worker.key_for(1, URL, new_kid, "RS256")
    assert len(platform.fetches) == 2
    this_worker.key_for(1, URL, new_kid, "RS256")  # local copy lacks it: shared cache has it
    assert len(platform.fetches) == 2


def test_a_new_keyset_url_never_uses_the_old_platforms_keys(clock: Clock) -> None:
    platform, shared = Platform(), MemoryCache(clock)
    kid = platform.publish(URL)
    keys = keys_of(platform, shared, clock)
    keys.key_for(7, URL, kid, "RS256")
    # registration 7 now names another keyset (or a new registration reused id 7)
    with pytest.raises(LaunchError, match="does not publish"):
        keys.key_for(7, OTHER_URL, kid, "RS256")
    assert platform.fetches[0] == URL and set(platform.fetches[1:]) == {OTHER_URL}
    assert shared.get(jwks_key(7, OTHER_URL)) == {"keys": []}


def test_an_unknown_kid_refetches_at_most_once_a_minute(clock: Clock) -> None:
    platform, shared = Platform(), MemoryCache(clock)
    kid = platform.publish(URL)
    keys = keys_of(platform, shared, clock)
    keys.key_for(1, URL, kid, "RS256")
    rotated = platform.publish(URL)
    assert keys.key_for(1, URL, rotated, "RS256") is not None  # refetched once
    again = platform.publish(URL)
    with pytest.raises(LaunchError, match="does not publish"):
        keys.key_for(1, URL, again, "RS256")
    assert len(platform.fetches) == 2
    clock.now += REFETCH_INTERVAL + 1
    assert keys.key_for(1, URL, again, "RS256") is not None
    assert len(platform.fetches) == 3


def test_an_unreadable_key_set_is_a_clear_refusal(clock: Clock) -> None:
    def broken(_url: str) -> Any:
        raise OSError("connection refused")

    keys = PlatformKeys(MemoryCache(clock), broken, MemoryCache(clock))
    with pytest.raises(LaunchError, match="could not be read") as refused:
        keys.key_for(1, URL, "kid", "RS256")
    assert refused.value.status == 502
