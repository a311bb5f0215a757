"""Short-lived shared state (OIDC state, nonces, launch data, tokens): Redis or in-process."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol


class Cache(Protocol):
    """What the LTI flow and the service clients need from a cache. A value is a JSON value
    or `bytes` (kept as they are: a rendered page is not worth a JSON round trip)."""

    def get(self, key: str) -> Any | None: ...

    def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        """The values of `keys`, in order (None where absent): one round trip in Redis."""
        ...

    def set(self, key: str, value: Any, ttl: int) -> None: ...

    def add(self, key: str, value: Any, ttl: int) -> bool:
        """Set only when absent; True when this call set it (one use, across processes)."""
        ...

    def pop(self, key: str) -> Any | None:
        """Get and delete in one step, so a value can be consumed once."""
        ...

    def incr(self, key: str, ttl: int) -> int:
        """Add one to a counter (created at 0 with `ttl`); the new value, atomically."""
        ...

    def bump(self, keys: Sequence[str], ttl: int) -> None:
        """`incr` each counter of `keys`, in one step where the store allows (one round trip
        in Redis, one transaction in the database): the data versions a commit moves on."""
        ...

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        """Set `key`, and `note` it in `index`; then the values of `read`, in order. In one
        round trip where the store allows (a launch stores its session, notes it in the
        person's index for erasure and reads what its page needs)."""
        ...

    def note(self, index: str, key: str, keep: int, index_ttl: int) -> None:
        """Add `key` to the keys noted in `index` (once; the newest `keep` are kept; the
        index expires `index_ttl` seconds after its last note)."""
        ...

    def pop_noted(self, index: str) -> list[str]:
        """The keys noted in `index`, oldest first, and the index dropped (one step)."""
        ...


class MemoryCache:
    """A process-local cache for one process (the default with no Redis)."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._items: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, key: str) -> Any | None:
        with self._lock:
            return self._live(key)

    def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        with self._lock:
            return [self._live(key) for key in keys]

    def set(self, key: str, value: Any, ttl: int) -> None:
        with self._lock:
            self._purge_some()
            self._items[key] = (self._clock() + ttl, value)

    def add(self, key: str, value: Any, ttl: int) -> bool:
        with self._lock:
            if self._live(key) is not None:
                return False
            self._items[key] = (self._clock() + ttl, value)
            return True

    def pop(self, key: str) -> Any | None:
        with self._lock:
            value = self._live(key)
            self._items.pop(key, None)
            return value

    def incr(self, key: str, ttl: int) -> int:
        with self._lock:
            return self._incr(key, ttl)

    def bump(self, keys: Sequence[str], ttl: int) -> None:
        with self._lock:
            for key in keys:
                self._incr(key, ttl)

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        with self._lock:
            self._purge_some()
            self._items[key] = (self._clock() + ttl, value)
            self._note(index, key, keep, index_ttl)
            return [self._live(other) for other in read]

    def note(self, index: str, key: str, keep: int, index_ttl: int) -> None:
        with self._lock:
            self._note(index, key, keep, index_ttl)

    def pop_noted(self, index: str) -> list[str]:
        return noted_keys(self.pop(index))

    def _incr(self, key: str, ttl: int) -> int:
        """`incr`, with the lock held."""
        found = self._items.get(key)
        if found is None or found[0] <= self._clock():
            found = (self._clock() + ttl, 0)
        self._items[key] = (found[0], int(found[1]) + 1)
        return int(self._items[key][1])

    def _note(self, index: str, key: str, keep: int, index_ttl: int) -> None:
        """`note`, with the lock held."""
        self._items[index] = (self._clock() + index_ttl, noted(self._live(index), key, keep))

    def _live(self, key: str) -> Any | None:
        found = self._items.get(key)
        if found is None:
            return None
        expires, value = found
        if expires <= self._clock():
            del self._items[key]
            return None
        return value

    def _purge_some(self) -> None:
        if len(self._items) < 10_000:
            return
        now = self._clock()
        for key in [k for k, (exp, _v) in self._items.items() if exp <= now]:
            del self._items[key]


def noted(index: Any, key: str, keep: int) -> list[Any]:
    """The list of keys `index` (as stored; anything else counts as empty) with `key` added
    at the end when absent, cut to the newest `keep`."""
    keys = list(index) if isinstance(index, list) else []
    if key not in keys:
        keys.append(key)
    return keys[-keep:] if keep > 0 else []


def noted_keys(index: Any) -> list[str]:
    """The keys of an index stored as a list by `noted` (anything else holds none)."""
    return [key for key in index if isinstance(key, str)] if isinstance(index, list) else []


# In Redis an index is a sorted set, scored by the server's clock when a key is first noted:
# adding a key and dropping the oldest beyond `keep` cost O(log n), however many keys the
# person has (a list in one JSON value, as the other caches keep it, would be read, decoded,
# encoded and written whole at every launch: 150 µs of Redis's single thread at 500 keys
# against 50 µs). Noting runs inside a script, so two launches of one person at once
# cannot drop each other's key. ARGV: key to note, keep, index ttl.
def _note_lua(index: str) -> str:
    return f"""
local now = redis.call('TIME')
redis.call('ZADD', {index}, 'NX', now[1] * 1000000 + now[2], ARGV[1])
redis.call('ZREMRANGEBYRANK', {index}, 0, -(tonumber(ARGV[2]) + 1))
redis.call('EXPIRE', {index}, ARGV[3])
"""


# KEYS: the index
NOTE = _note_lua("KEYS[1]")

# KEYS: entry, index; ARGV: key to note, keep, index ttl, entry value, entry ttl
SET_AND_NOTE = """
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[5])
""" + _note_lua("KEYS[2]")

# KEYS: the index; returns its keys, oldest first, and drops it (nothing from a key that
# holds anything but an index)
POP_NOTED = """
local keys = {}
if redis.call('TYPE', KEYS[1]).ok == 'zset' then
  keys = redis.call('ZRANGE', KEYS[1], 0, -1)
end
redis.call('DEL', KEYS[1])
return keys
"""


# Redis holds a JSON value as its text and bytes behind a NUL byte, which no JSON text starts
# with (so a value written before bytes were allowed still reads as JSON)
_BYTES_MARK = b"\x00"


def redis_value(value: Any) -> bytes:
    """How Redis stores `value`."""
    if isinstance(value, bytes | bytearray):
        return _BYTES_MARK + bytes(value)
    return json.dumps(value).encode()


def from_redis(raw: Any) -> Any | None:
    """The value Redis stored as `raw` (bytes, see `redis_value`; None when absent)."""
    if raw is None:
        return None
    return raw[1:] if raw[:1] == _BYTES_MARK else json.loads(raw)


class RedisCache:
    """A cache shared by every worker and host, values stored as JSON (bytes as they are)."""

    def __init__(self, url: str, prefix: str = "careerpath:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix
        self._set_and_note = self._redis.register_script(SET_AND_NOTE)
        self._no_script = redis.exceptions.NoScriptError
        self._note = self._redis.register_script(NOTE)
        self._pop_noted = self._redis.register_script(POP_NOTED)

    def get(self, key: str) -> Any | None:
        return from_redis(self._redis.get(self._prefix + key))

    def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        found = self._redis.mget([self._prefix + key for key in keys]) if keys else []
        return [from_redis(raw) for raw in found]

    def set(self, key: str, value: Any, ttl: int) -> None:
        self._redis.set(self._prefix + key, redis_value(value), ex=max(int(ttl), 1))

    def add(self, key: str, value: Any, ttl: int) -> bool:
        return bool(self._redis.set(self._prefix + key, redis_value(value),
                                    ex=max(int(ttl), 1), nx=True))

    def pop(self, key: str) -> Any | None:
        return from_redis(self._redis.getdel(self._prefix + key))

    def incr(self, key: str, ttl: int) -> int:
        return int(self._incremented([key], ttl)[0])

    def bump(self, keys: Sequence[str], ttl: int) -> None:
        if keys:
            self._incremented(keys, ttl)

    def _incremented(self, keys: Sequence[str], ttl: int) -> list[int]:
        """One MULTI/EXEC: each counter created at 0 with `ttl` when absent, then moved on
        (never an INCR of a key that expired after its SET, which would live for ever)."""
        pipe = self._redis.pipeline()
        for key in keys:
            pipe.set(self._prefix + key, 0, ex=max(int(ttl), 1), nx=True)
            pipe.incr(self._prefix + key)
        return [int(value) for value in pipe.execute()[1::2]]

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        """The script writes; the reads follow it in the same pipeline (one round trip, and
        after the writes on the same connection). A page read inside the script would be
        copied into Lua and out again: 36 µs of Redis's one thread for a 24 KB page,
        against 2 µs for the same read outside."""
        commands: list[tuple[Any, ...]] = [(
            "EVALSHA", self._set_and_note.sha, 2, self._prefix + key, self._prefix + index,
            key, max(int(keep), 0), max(int(index_ttl), 1), redis_value(value),
            max(int(ttl), 1))]
        if read:
            commands.append(("MGET", *(self._prefix + k for k in read)))
        replies = self._pipelined(commands, SET_AND_NOTE)
        return [from_redis(raw) for raw in replies[1]] if read else []

    def _pipelined(self, commands: list[tuple[Any, ...]], script: str) -> list[Any]:
        """The replies of `commands`, sent in one round trip; when Redis does not know
        `script` (restarted, or its scripts flushed) it is loaded and all are sent again
        (so every command here must be safe to repeat)."""
        for attempt in (1, 2):
            pipe = self._redis.pipeline(transaction=False)
            for command in commands:
                pipe.execute_command(*command)
            try:
                return list(pipe.execute())
            except self._no_script:
                if attempt == 2:
                    raise
                self._redis.script_load(script)
        raise AssertionError("unreachable")

    def note(self, index: str, key: str, keep: int, index_ttl: int) -> None:
        self._note(keys=[self._prefix + index],
                   args=[key, max(int(keep), 0), max(int(index_ttl), 1)])

    def pop_noted(self, index: str) -> list[str]:
        return [raw.decode() for raw in self._pop_noted(keys=[self._prefix + index])]

    def ping(self) -> bool:
        return bool(self._redis.ping())

    def problem(self) -> str:
        """What keeps this Redis from serving the tool ("" when nothing); never raises, and
        never names the URL (it may hold a password)."""
        try:
            version = str(self._redis.info("server").get("redis_version", ""))
        except Exception as exc:  # noqa: BLE001 - a probe reports, it does not fail
            return f"{type(exc).__name__}: Redis unreachable"
        return redis_version_problem(version)


MIN_REDIS = (6, 2)  # GETDEL (a launch consumes its login), TIME inside a writing script


def redis_version_problem(version: str) -> str:
    """Why a Redis server of `version` cannot serve the tool ("" when it can)."""
    try:
        found = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return f"Redis reports version {version!r}, which is not a version number"
    if found < MIN_REDIS:
        return (f"Redis {version} is too old: CareerPath needs "
                f"{'.'.join(map(str, MIN_REDIS))} or newer")
    return ""


def cache_for(redis_url: str | None, fallback: Cache | None = None) -> Cache:
    """Redis when a URL is configured, else `fallback`, else an in-process cache."""
    if redis_url:
        return RedisCache(redis_url)
    return fallback if fallback is not None else MemoryCache()
