"""Is the product able to serve: database reachable and migrated to the latest revision, and
Redis (when configured) reachable and recent enough."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..cache import Cache, RedisCache
from ..store.database import Database
from ..store.migrate import current_revision, latest


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    revision: str | None
    expected_revision: str | None
    detail: str = ""
    # None: no Redis configured; "" Redis answers and is recent enough; else what is wrong
    redis_problem: str | None = None

    @property
    def ok(self) -> bool:
        return (self.database_ok and self.revision == self.expected_revision
                and not self.redis_problem)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "database": {
                "ok": self.database_ok,
                "revision": self.revision,
                "expected_revision": self.expected_revision,
                "detail": self.detail,
            },
            **({} if self.redis_problem is None else {
                "redis": {"ok": not self.redis_problem, "detail": self.redis_problem}}),
        }


def check_health(database: Database, cache: Cache | None = None) -> HealthReport:
    """Probe the database, and Redis when `cache` is one; never raises."""
    expected = _expected_revision()
    redis = cache.problem() if isinstance(cache, RedisCache) else None
    try:
        revision = current_revision(database.engine)
    except Exception as exc:  # noqa: BLE001 - a probe reports, it does not fail
        return HealthReport(False, None, expected, f"{type(exc).__name__}: database unreachable",
                            redis)
    detail = "" if revision == expected else "run `careerpath db upgrade`"
    return HealthReport(True, revision, expected, detail, redis)


@cache
def _expected_revision() -> str | None:
    """The migrations' head, read once per process (the files do not change while running)."""
    return latest() or None
