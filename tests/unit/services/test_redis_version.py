"""Which Redis versions can serve the tool (6.2: GETDEL, TIME inside a writing script)."""

from __future__ import annotations

import pytest

from lti_tool.cache import redis_version_problem
from lti_tool.usecases.health import HealthReport


@pytest.mark.parametrize("version", ["6.2.0", "6.2.14", "7.0.15", "7.4.2", "10.0.0"])
def test_recent_versions_serve(version: str) -> None:
    assert redis_version_problem(version) == ""


@pytest.mark.parametrize("version", ["6.0.16", "5.0.14", "4", "6.1.9"])
def test_older_versions_are_named_with_what_is_needed(version: str) -> None:
    assert redis_version_problem(version) == (
        f"Redis {version} is too old: CareerPath needs 6.2 or newer")


@pytest.mark.parametrize("version", ["", "unknown", "v7.0"])
def test_a_version_that_is_no_number_is_a_problem_too(version: str) -> None:
    assert "not a version number" in redis_version_problem(version)


def test_a_redis_problem_makes_the_report_unhealthy_and_says_why() -> None:
    fine = HealthReport(True, "0020", "0020", "", redis_problem="")
    assert fine.ok and fine.as_dict()["redis"] == {"ok": True, "detail": ""}
    old = HealthReport(True, "0020", "0020", "", redis_problem="Redis 6.0.16 is too old")
    assert not old.ok
    assert old.as_dict()["status"] == "unhealthy"
    assert old.as_dict()["redis"] == {"ok": False, "detail": "Redis 6.0.16 is too old"}
    assert "redis" not in HealthReport(True, "0020", "0020").as_dict(), "no Redis configured"
