"""The database-backed cache: shared by workers, atomic one-use semantics, expiry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from lti_tool.store import Database
from lti_tool.store.database_cache import DatabaseCache


def test_set_get_pop_and_expiry(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    cache.set("login:s1", {"nonce": "n1"}, ttl=60)
    assert cache.get("login:s1") == {"nonce": "n1"}
    cache.set("login:s1", {"nonce": "n2"}, ttl=60)  # overwrite
    assert cache.pop("login:s1") == {"nonce": "n2"}
    assert cache.pop("login:s1") is None
    cache.set("short", 1, ttl=1)
    assert cache.get("short") == 1


def test_add_is_once_even_when_workers_race(migrated_db: Database) -> None:
    other = Database(migrated_db.url)
    caches = [DatabaseCache(migrated_db), DatabaseCache(other)]
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(lambda i: caches[i % 2].add("nonce:x", 1, ttl=60),
                                    range(16)))
    finally:
        other.dispose()
    assert results.count(True) == 1


def test_incr_counts_atomically(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    with ThreadPoolExecutor(max_workers=8) as pool:
        values = sorted(pool.map(lambda _: cache.incr("rate:key", ttl=60), range(20)))
    assert values == list(range(1, 21))


def test_two_processes_share_login_state(migrated_db: Database) -> None:
    """What gunicorn workers need: a value set by one instance is popped once by another."""
    other = Database(migrated_db.url)
    first, second = DatabaseCache(migrated_db), DatabaseCache(other)
    try:
        first.set("login:abc", {"state": "abc"}, ttl=60)
        assert second.pop("login:abc") == {"state": "abc"}
        assert first.pop("login:abc") is None
    finally:
        other.dispose()
