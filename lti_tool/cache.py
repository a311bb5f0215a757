"""Short-lived shared state (OIDC state, nonces, launch data, tokens): Redis or in-process."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol


class Cache(Protocol):
    """What the LTI flow and the service clients need from a cache."""

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

    def set_and_get(self, key: str, value: Any, ttl: int, other: str) -> Any | None:
        """Set `key`, then read `other`: in one round trip where the store allows (a
        launch stores its session and reads the person's index of entries together)."""
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

    def set_and_get(self, key: str, value: Any, ttl: int, other: str) -> Any | None:
        self.set(key, value, ttl)
        return self.get(other)

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


class RedisCache:
    """A cache shared by every worker and host, values stored as JSON."""

    def __init__(self, url: str, prefix: str = "careerpath:") -> None:
        import redis

        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def get(self, key: str) -> Any | None:
        raw = self._redis.get(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def get_many(self, keys: Sequence[str]) -> list[Any | None]:
        found = self._redis.mget([self._prefix + key for key in keys]) if keys else []
        return [None if raw is None else json.loads(raw) for raw in found]

    def set(self, key: str, value: Any, ttl: int) -> None:
        self._redis.set(self._prefix + key, json.dumps(value), ex=max(int(ttl), 1))

    def add(self, key: str, value: Any, ttl: int) -> bool:
        return bool(self._redis.set(self._prefix + key, json.dumps(value),
                                    ex=max(int(ttl), 1), nx=True))

    def pop(self, key: str) -> Any | None:
        raw = self._redis.getdel(self._prefix + key)
        return None if raw is None else json.loads(raw)

    def incr(self, key: str, ttl: int) -> int:
        name = self._prefix + key
        pipe = self._redis.pipeline()
        pipe.set(name, 0, ex=max(int(ttl), 1), nx=True)
        pipe.incr(name)
        return int(pipe.execute()[1])

    def set_and_get(self, key: str, value: Any, ttl: int, other: str) -> Any | None:
        pipe = self._redis.pipeline(transaction=False)
        pipe.set(self._prefix + key, json.dumps(value), ex=max(int(ttl), 1))
        pipe.get(self._prefix + other)
        raw = pipe.execute()[1]
        return None if raw is None else json.loads(raw)

    def ping(self) -> bool:
        return bool(self._redis.ping())


def cache_for(redis_url: str | None, fallback: Cache | None = None) -> Cache:
    """Redis when a URL is configured, else `fallback`, else an in-process cache."""
    if redis_url:
        return RedisCache(redis_url)
    return fallback if fallback is not None else MemoryCache()
