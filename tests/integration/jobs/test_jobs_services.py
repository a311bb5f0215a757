"""RQ job functions build their services from the environment, without a Flask app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lti_tool import bootstrap
from lti_tool.jobs import tasks
from lti_tool.usecases.sync.course import SyncNotPossible
from tests.support.databases import migrated_sqlite_url


@pytest.fixture
def job_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = migrated_sqlite_url(tmp_path / "jobs.db")
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", url)
    monkeypatch.setenv("CAREERPATH_CACHE", "memory")
    monkeypatch.delenv("CAREERPATH_REDIS_URL", raising=False)

    def no_app(*_args: object) -> None:
        raise AssertionError("a job built a Flask app")

    monkeypatch.setattr(bootstrap, "bootstrap", no_app)
    tasks._services.cache_clear()
    yield url
    tasks._services().database.dispose()
    tasks._services.cache_clear()


def test_a_job_gets_its_services_from_the_environment(job_environment: str) -> None:
    assert str(tasks._services().database.url) == job_environment
    assert tasks._services() is tasks._services()  # built once per worker process


def test_a_webhook_delivery_pass_runs_without_an_app(job_environment: str) -> None:
    assert tasks.deliver_webhooks_job(limit=5) == {
        "attempted": 0, "delivered": 0, "failed": 0, "disabled": 0}


def test_a_sync_job_reaches_the_sync_use_case_without_an_app(job_environment: str) -> None:
    with pytest.raises(SyncNotPossible, match="course 404 has no known LMS services"):
        tasks.sync_course_job(404, "test")
