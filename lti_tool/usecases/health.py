"""Is the product able to serve: database reachable and migrated to the latest revision."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ..store.database import Database
from ..store.migrate import current_revision, latest


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    revision: str | None
    expected_revision: str | None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.database_ok and self.revision == self.expected_revision

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "unhealthy",
            "database": {
                "ok": self.database_ok,
                "revision": self.revision,
                "expected_revision": self.expected_revision,
                "detail": self.detail,
            },
        }


def check_health(database: Database) -> HealthReport:
    """Probe the database; never raises."""
    expected = _expected_revision()
    try:
        revision = current_revision(database.engine)
    except Exception as exc:  # noqa: BLE001 - a probe reports, it does not fail
        return HealthReport(False, None, expected, f"{type(exc).__name__}: database unreachable")
    detail = "" if revision == expected else "run `careerpath db upgrade`"
    return HealthReport(True, revision, expected, detail)


@cache
def _expected_revision() -> str | None:
    """The migrations' head, read once per process (the files do not change while running)."""
    return latest() or None
