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

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        """Set `key`, and add `key` to the list of keys stored at `index` (the newest `keep`;
        the list expires `index_ttl` seconds later); then the values of `read`, in order.
        In one round trip where the store allows (a launch stores its session, notes it in
        the person's index for erasure and reads what its page needs)."""
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
            found = self._items.get(key)
            if found is None or found[0] <= self._clock():
                found = (self._clock() + ttl, 0)
            self._items[key] = (found[0], int(found[1]) + 1)
            return self._items[key][1]

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        with self._lock:
            self._purge_some()
            self._items[key] = (self._clock() + ttl, value)
            self._items[index] = (self._clock() + index_ttl,
                                  noted(self._live(index), key, keep))
            return [self._live(other) for other in read]

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


# `noted` inside Redis (Lua, cjson): entry and index written in one atomic round trip, so two
# launches of one person at once cannot drop each other's key from the index.
# KEYS: entry, index, then keys to read afterwards; ARGV: entry JSON, entry ttl, key to note,
# keep, index ttl; returns the values of the keys to read (false for absent ones)
SET_AND_NOTE = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local keys, found = {}, false
local raw = redis.call('GET', KEYS[2])
if raw then
  local ok, decoded = pcall(cjson.decode, raw)
  if ok and type(decoded) == 'table' then
    local entries = 0
    for _ in pairs(decoded) do entries = entries + 1 end
    if entries == #decoded then keys = decoded end  -- a list, not an object
  end
end
for _, k in ipairs(keys) do
  if k == ARGV[3] then found = true end
end
if not found then table.insert(keys, ARGV[3]) end
while #keys > tonumber(ARGV[4]) do table.remove(keys, 1) end
if #keys == 0 then
  redis.call('SET', KEYS[2], '[]', 'EX', ARGV[5])
else
  redis.call('SET', KEYS[2], cjson.encode(keys), 'EX', ARGV[5])
end
if #KEYS > 2 then
  return redis.call('MGET', unpack(KEYS, 3))
end
return {}
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
        name = self._prefix + key
        pipe = self._redis.pipeline()
        pipe.set(name, 0, ex=max(int(ttl), 1), nx=True)
        pipe.incr(name)
        return int(pipe.execute()[1])

    def set_and_note(self, key: str, value: Any, ttl: int, index: str, keep: int,
                     index_ttl: int, read: Sequence[str] = ()) -> list[Any | None]:
        found = self._set_and_note(
            keys=[self._prefix + key, self._prefix + index, *(self._prefix + k for k in read)],
            args=[redis_value(value), max(int(ttl), 1), key, keep, max(int(index_ttl), 1)])
        return [from_redis(raw) for raw in found or []]

    def ping(self) -> bool:
        return bool(self._redis.ping())


def cache_for(redis_url: str | None, fallback: Cache | None = None) -> Cache:
    """Redis when a URL is configured, else `fallback`, else an in-process cache."""
    if redis_url:
        return RedisCache(redis_url)
    return fallback if fallback is not None else MemoryCache()
