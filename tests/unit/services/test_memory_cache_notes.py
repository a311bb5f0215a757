"""The in-process cache's `set_and_note` and `bump`, and the `noted` rule every cache shares."""

from __future__ import annotations

from lti_tool.cache import MemoryCache, noted


def test_noted_adds_once_and_keeps_the_newest() -> None:
    assert noted(None, "a", 3) == ["a"]
    assert noted(["a", "b"], "a", 3) == ["a", "b"]
    assert noted(["a", "b", "c"], "d", 3) == ["b", "c", "d"]
    assert noted({"not": "a list"}, "a", 3) == ["a"]
    assert noted(["a"], "b", 0) == []


def test_set_and_note_stores_the_entry_and_the_index_with_their_own_lifetimes() -> None:
    now = [100.0]
    cache = MemoryCache(clock=lambda: now[0])
    cache.set_and_note("launch:a", {"who": 1}, 10, "index", 5, 60)
    cache.set_and_note("launch:b", {"who": 2}, 10, "index", 5, 60)
    assert cache.get("index") == ["launch:a", "launch:b"]
    now[0] += 30
    assert cache.get("launch:a") is None, "the entry expired with its own ttl"
    assert cache.get("index") == ["launch:a", "launch:b"], "the index lives longer"


def test_note_and_pop_noted_keep_the_newest_keys_once() -> None:
    cache = MemoryCache()
    for key in ("a", "b", "a", "c", "d"):
        cache.note("index", key, 3, 60)
    assert cache.pop_noted("index") == ["b", "c", "d"]
    assert cache.pop_noted("index") == [], "popped"
    cache.set("broken", {"not": "a list"}, 60)
    assert cache.pop_noted("broken") == [] and cache.get("broken") is None


def test_bump_moves_each_counter_on_and_restarts_an_expired_one() -> None:
    now = [100.0]
    cache = MemoryCache(clock=lambda: now[0])
    cache.incr("b", 10)
    cache.bump(["a", "b"], 10)
    assert (cache.get("a"), cache.get("b")) == (1, 2)
    now[0] += 11
    cache.bump(["b"], 10)
    assert (cache.get("a"), cache.get("b")) == (None, 1)
