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


def test_expiry_is_stored_as_the_rest_of_the_store_reads_it(migrated_db: Database) -> None:
    """On SQLite the cache writes through the driver: its times must read back the same
    through SQLAlchemy (and compare in SQL the same way) as the ORM's own."""
    from datetime import timedelta

    from lti_tool.clock import utcnow
    from lti_tool.store.models.cache import CacheEntryRow

    cache, before = DatabaseCache(migrated_db), utcnow()
    cache.set("launch:x", {"a": 1}, ttl=600)
    with migrated_db.read_session() as session:
        row = session.get(CacheEntryRow, "launch:x")
        assert row is not None and row.value == '{"a": 1}'
        assert before + timedelta(seconds=599) <= row.expires_at <= utcnow() + timedelta(
            seconds=600)
        due = session.query(CacheEntryRow).filter(
            CacheEntryRow.expires_at > before + timedelta(seconds=590)).count()
    assert due == 1


def test_an_expired_entry_is_gone_and_its_key_free_again(migrated_db: Database) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from lti_tool.clock import utcnow
    from lti_tool.store.models.cache import CacheEntryRow

    cache = DatabaseCache(migrated_db)
    cache.set("login:old", {"n": 1}, ttl=60)
    assert cache.add("nonce:old", 1, ttl=60) is True
    with migrated_db.session() as session:  # both entries expire
        session.execute(update(CacheEntryRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert cache.get("login:old") is None and cache.pop("login:old") is None
    assert cache.add("nonce:old", 2, ttl=60) is True  # an expired key is taken over
    assert cache.incr("rate:old", ttl=60) == 1


def test_a_failed_write_leaves_the_cache_usable(migrated_db: Database) -> None:
    """A write that fails (here a value no JSON column can hold) rolls back and frees the
    writers' lock: the next write goes through at once."""
    import pytest

    cache = DatabaseCache(migrated_db)
    with pytest.raises(TypeError):
        cache.set("bad", object(), ttl=60)
    with pytest.raises(Exception):  # noqa: B017, PT011 - the driver's own error type
        cache._run.write(("set", {"key": None, "value": "x", "now": None,  # noqa: SLF001
                                  "expires": None}))
    cache.set("good", 1, ttl=60)
    assert cache.get("good") == 1


def test_set_and_note_stores_an_entry_and_notes_it(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    cache.set("index", ["launch:a"], 60)
    cache.set_and_note("launch:b", {"who": 1}, 60, "index", 2, 120)
    assert cache.get("launch:b") == {"who": 1}
    assert cache.get("index") == ["launch:a", "launch:b"]
    cache.set_and_note("launch:c", 2, 60, "index", 2, 120)
    assert cache.get("index") == ["launch:b", "launch:c"]
    cache.note("index", "reply:d", 2, 120)
    assert cache.pop_noted("index") == ["launch:c", "reply:d"]
    assert cache.pop_noted("index") == [] and cache.get("index") is None


def test_get_many_reads_several_keys_in_order(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    cache.set("a", 1, 60)
    cache.set("c", {"three": 3}, 60)
    assert cache.get_many(["a", "b", "c"]) == [1, None, {"three": 3}]
    assert cache.get_many([]) == []


def test_bytes_are_kept_beside_json_values(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    page = "<p>Élodie’s page</p>".encode() + bytes(range(256))
    cache.set("page", page, 60)
    cache.set("text", "b64:not bytes", 60)
    assert cache.get_many(["page", "text"]) == [page, "b64:not bytes"]
    assert cache.pop("page") == page and cache.get("page") is None


def test_the_cache_never_waits_for_a_connection_its_caller_holds(
        migrated_database_url: str) -> None:
    """A unit of work holding the last connection of its pool reads the cache (as the
    catalogue's version is read inside a read session) and writes it after its commit (as
    the data versions are bumped from an after-commit hook): with one pool each would wait
    for the connection the caller holds until the pool's timeout. Found by 20 concurrent
    first launches in one threaded process."""
    from sqlalchemy import event, text

    database = Database(migrated_database_url, pool_size=1, max_overflow=0, pool_timeout=2)
    cache = DatabaseCache(database)
    bumped = []
    try:
        with database.read_session() as session:
            session.execute(text("select 1"))  # the pool's only connection is now held
            cache.set("version", 7, ttl=60)
            assert cache.get("version") == 7

        @event.listens_for(database.session_factory, "after_commit")
        def _committed(_session: object) -> None:  # runs before the connection goes back
            bumped.append(cache.incr("version-bumps", ttl=60))

        with database.session() as session:
            session.execute(text("select 1"))
        assert bumped == [1]
    finally:
        database.dispose()


def test_bump_moves_every_counter_on_in_one_transaction(migrated_db: Database) -> None:
    """A commit's data versions (learner data, and each person it wrote) are moved on
    together: one transaction, counters created at 1, keys repeated count once."""
    cache = DatabaseCache(migrated_db)
    cache.incr("version:b", ttl=60)
    transactions: list[str] = []
    runner = cache._run
    write = runner.write

    def counted(*steps: tuple[str, dict], durable: bool = True) -> object:
        transactions.append(",".join(name for name, _ in steps))
        return write(*steps, durable=durable)

    runner.write = counted  # type: ignore[method-assign]
    cache.bump(["version:c", "version:b", "version:a", "version:b"], ttl=60)
    cache.bump([], ttl=60)
    assert transactions == ["bump,bump,bump"], "one transaction, one upsert per key"
    assert [cache.get(k) for k in ("version:a", "version:b", "version:c")] == [1, 2, 1]


def test_bumps_of_one_key_from_racing_commits_all_count(migrated_db: Database) -> None:
    cache = DatabaseCache(migrated_db)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda i: cache.bump(["version:shared", f"version:{i % 3}"], ttl=60),
                      range(12)))
    assert cache.get("version:shared") == 12
    assert [cache.get(f"version:{i}") for i in range(3)] == [4, 4, 4]


def test_an_expired_counter_starts_again_with_a_new_lifetime(migrated_db: Database) -> None:
    from datetime import timedelta

    from sqlalchemy import select, update

    from lti_tool.clock import utcnow
    from lti_tool.store.models.cache import CacheEntryRow

    cache = DatabaseCache(migrated_db)
    assert [cache.incr("rate:k", ttl=60) for _ in range(3)] == [1, 2, 3]
    cache.bump(["version:k"], ttl=60)
    with migrated_db.session() as session:
        session.execute(update(CacheEntryRow).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert cache.incr("rate:k", ttl=60) == 1
    cache.bump(["version:k", "version:new"], ttl=60)
    assert cache.get("version:k") == 1 and cache.get("version:new") == 1
    with migrated_db.read_session() as session:
        lifetimes = session.scalars(select(CacheEntryRow.expires_at)).all()
    now = utcnow()
    assert all(now < (e if e.tzinfo else e.replace(tzinfo=now.tzinfo)) <= now + timedelta(
        seconds=61) for e in lifetimes), "each started again with the new time-to-live"
    assert cache.incr("rate:k", ttl=60) == 2, "and counts on from there"
