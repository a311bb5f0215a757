"""The Redis cache: shared state across processes, atomic one-use semantics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from lti_tool.cache import RedisCache
from lti_tool.config import in_ci, service_url_for_tests

REDIS_HINT = "Redis not configured: set CAREERPATH_TEST_REDIS_URL=redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache() -> Iterator[RedisCache]:
    url = service_url_for_tests("redis")
    if url is None:
        if in_ci():
            pytest.fail(f"CI is set but {REDIS_HINT}")
        pytest.skip(REDIS_HINT)
    yield RedisCache(url, prefix=f"careerpath-test-{uuid.uuid4().hex}:")


@pytest.mark.redis
def test_two_caches_on_one_redis_share_values(redis_cache: RedisCache) -> None:
    other = RedisCache(service_url_for_tests("redis") or "", prefix=redis_cache._prefix)
    redis_cache.set("login:abc", {"nonce": "n1"}, ttl=30)
    assert other.get("login:abc") == {"nonce": "n1"}
    assert other.pop("login:abc") == {"nonce": "n1"}
    assert redis_cache.pop("login:abc") is None


@pytest.mark.redis
def test_add_succeeds_once(redis_cache: RedisCache) -> None:
    assert redis_cache.add("nonce:x", 1, ttl=30) is True
    assert redis_cache.add("nonce:x", 1, ttl=30) is False
    assert redis_cache.ping()


def _noted(cache: RedisCache, index: str) -> list[str]:
    """The keys noted in `index`, oldest first, without dropping it."""
    return [k.decode() for k in cache._redis.zrange(cache._prefix + index, 0, -1)]


def test_set_and_note_stores_an_entry_and_notes_it_in_one_round_trip(
        redis_cache: RedisCache) -> None:
    redis_cache.note("index", "launch:a", 3, 120)
    redis_cache.set_and_note("launch:b", {"who": 1}, 60, "index", 3, 120)
    assert redis_cache.get("launch:b") == {"who": 1}
    assert _noted(redis_cache, "index") == ["launch:a", "launch:b"]
    redis_cache.set_and_note("launch:b", {"who": 2}, 60, "index", 3, 120)  # noted once
    for key in ("launch:c", "launch:d"):
        redis_cache.set_and_note(key, 0, 60, "index", 3, 120)
    assert _noted(redis_cache, "index") == ["launch:b", "launch:c", "launch:d"], \
        "newest 3 kept"
    assert redis_cache.get("launch:b") == {"who": 2}
    raw = redis_cache._redis
    assert raw.type(redis_cache._prefix + "index") == b"zset", "a sorted set, not one value"
    assert 110 <= raw.ttl(redis_cache._prefix + "index") <= 120
    assert 50 <= raw.ttl(redis_cache._prefix + "launch:d") <= 60
    redis_cache.set_and_note("launch:e", 1, 60, "index", 0, 120)
    assert _noted(redis_cache, "index") == [], "keep 0 keeps none"


def test_an_index_keeps_the_newest_keys_however_many_were_noted(
        redis_cache: RedisCache) -> None:
    for n in range(600):
        redis_cache.note("index", f"launch:{n}", 500, 120)
    noted = redis_cache.pop_noted("index")
    assert noted == [f"launch:{n}" for n in range(100, 600)], "oldest first, newest 500"
    assert redis_cache.pop_noted("index") == [] and redis_cache.get("index") is None


def test_pop_noted_drops_a_key_that_holds_no_index(redis_cache: RedisCache) -> None:
    redis_cache.set("broken", ["launch:a"], 60)
    assert redis_cache.pop_noted("broken") == []
    assert redis_cache.get("broken") is None


def test_set_and_note_keeps_every_key_when_launches_race(redis_cache: RedisCache) -> None:
    """Each call is one atomic script: eight threads noting at once lose no key."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: redis_cache.set_and_note(f"launch:{n}", n, 60, "index", 100,
                                                         120), range(40)))
        list(pool.map(lambda n: redis_cache.note("index", f"reply:{n}", 100, 120), range(40)))
    assert sorted(redis_cache.pop_noted("index")) == sorted(
        [f"launch:{n}" for n in range(40)] + [f"reply:{n}" for n in range(40)])


def test_erasure_drops_what_either_index_format_noted(redis_cache: RedisCache) -> None:
    """Entries noted by an earlier release (a JSON list under "person-keys:") are dropped
    with those noted now (a sorted set under "person-noted:")."""
    from lti_tool.usecases.erasure import forget_person_keys, set_person_entry

    redis_cache.set("launch:old", {"who": 7}, 60)
    redis_cache.set("person-keys:1:7", ["launch:old", "launch:gone"], 60)
    set_person_entry(redis_cache, 1, 7, "launch:new", {"who": 7}, 60)
    set_person_entry(redis_cache, 1, 8, "launch:other", {"who": 8}, 60)
    assert forget_person_keys(redis_cache, 1, 7) == 2
    assert redis_cache.get("launch:old") is None and redis_cache.get("launch:new") is None
    assert redis_cache.get("person-keys:1:7") is None
    assert redis_cache.get("launch:other") == {"who": 8}, "another person's entry stays"


def test_get_many_reads_several_keys_in_order(redis_cache: RedisCache) -> None:
    redis_cache.set("a", 1, 60)
    redis_cache.set("c", {"three": 3}, 60)
    assert redis_cache.get_many(["a", "b", "c"]) == [1, None, {"three": 3}]
    assert redis_cache.get_many([]) == []


def test_set_and_note_reads_other_keys_after_its_writes(redis_cache: RedisCache) -> None:
    redis_cache.set("version", 7, 60)
    found = redis_cache.set_and_note("launch:a", {"who": 1}, 60, "index", 3, 120,
                                     read=("version", "absent", "launch:a"))
    assert found == [7, None, {"who": 1}]
    assert redis_cache.set_and_note("launch:b", 2, 60, "index", 3, 120) == []


def test_set_and_note_loads_its_script_again_when_redis_forgot_it(
        redis_cache: RedisCache) -> None:
    """Redis restarted (or SCRIPT FLUSH): the launch's one round trip fails with NOSCRIPT,
    the script is loaded and the writes and reads sent again."""
    redis_cache.set("version", 3, 60)
    redis_cache._redis.script_flush()
    assert redis_cache.set_and_note("launch:a", {"who": 1}, 60, "index", 3, 120,
                                    read=["version", "launch:a"]) == [3, {"who": 1}]
    assert redis_cache.pop_noted("index") == ["launch:a"]


def test_bytes_are_kept_as_they_are_beside_json_values(redis_cache: RedisCache) -> None:
    page = "<p>Élodie’s page</p>\n".encode() + bytes(range(256))
    redis_cache.set("page", page, 60)
    redis_cache.set("text", "\x00 not bytes", 60)
    assert redis_cache.get("page") == page
    assert redis_cache._redis.get(redis_cache._prefix + "page") == b"\x00" + page, \
        "stored raw, not as JSON"
    assert redis_cache.get("text") == "\x00 not bytes", "a JSON string is still JSON"
    found = redis_cache.set_and_note("launch:a", {"who": 1}, 60, "index", 3, 120,
                                     read=["page", "text"])
    assert found == [page, "\x00 not bytes"]
    assert redis_cache.pop("page") == page and redis_cache.get("page") is None


def test_bump_moves_every_counter_on_in_one_round_trip(redis_cache: RedisCache) -> None:
    assert redis_cache.incr("version:b", 60) == 1
    sent: list[int] = []
    pipeline = redis_cache._redis.pipeline

    def counted(*args: object, **kwargs: object) -> object:
        sent.append(1)
        return pipeline(*args, **kwargs)

    redis_cache._redis.pipeline = counted  # type: ignore[method-assign]
    redis_cache.bump(["version:a", "version:b"], 60)
    redis_cache.bump([], 60)
    assert sent == [1], "one pipeline (MULTI/EXEC) for every key, none for no key"
    assert [redis_cache.get(k) for k in ("version:a", "version:b")] == [1, 2]
    ttl = redis_cache._redis.ttl(redis_cache._prefix + "version:a")
    assert 0 < ttl <= 60, "a counter created by bump expires as incr's do"
    assert redis_cache.incr("version:a", 60) == 2
