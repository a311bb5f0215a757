"""A worker SIGKILLed in the middle of a course sync: the next sync resumes and ends exact."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from lti_tool.jobs import RqJobs
from lti_tool.sandbox import seed_load
from lti_tool.store.database import engine_url
from tests.reliability.conftest import Cluster, ToolProcess, cli, start_cluster, stop_cluster
from tests.support.browser import Browser

COURSE = "big-course"
LEARNERS, ITEMS = 2000, 12
POLL_LIMIT = 90.0


@pytest.fixture
def single(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Cluster]:
    running = start_cluster(postgres_url, redis_url, tmp_path, tools=1)
    try:
        yield running
    finally:
        stop_cluster(running)


def latest_run(url: str) -> dict:
    engine = create_engine(engine_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            row = connection.execute(text(
                "SELECT id, status, cursor, counts, error FROM sync_runs "
                "ORDER BY id DESC LIMIT 1")).mappings().first()
            runs = connection.execute(text("SELECT id, status, counts, error FROM sync_runs "
                                           "ORDER BY id")).mappings().all()
    finally:
        engine.dispose()
    if row is None:
        return {"runs": []}
    return {**row, "cursor": json.loads(row["cursor"] or "{}"),
            "counts": json.loads(row["counts"] or "{}"),
            "runs": [{**r, "counts": json.loads(r["counts"] or "{}")} for r in runs]}


def test_sync_resumes_after_its_worker_is_killed(single: Cluster, tmp_path: Path) -> None:
    seed_load(single.sandbox, LEARNERS, ITEMS, course_id=COURSE)
    page = single.launch(Browser(), f"{COURSE}-link", f"{COURSE}-u00000", COURSE)
    assert page.status_code == 200, page.text[:500]
    course_id = single.course_id(COURSE)
    expected = single.expected_evidence(COURSE)

    RqJobs(single.redis_url).enqueue_sync(course_id, "test")
    worker = ToolProcess(single.env, "worker", log=tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + POLL_LIMIT
        while True:
            run = latest_run(single.database_url)
            if run.get("status") == "running" and run["cursor"].get("stage") == "results" \
                    and run["counts"].get("evidence_created", 0) > 0:
                break
            assert run.get("status") != "succeeded", "the sync finished before the kill: " \
                "make the course larger"
            assert worker.process.poll() is None, worker.output()
            assert time.monotonic() < deadline, f"no results page committed: {run}"
            time.sleep(0.05)
        worker.kill()
    finally:
        worker.stop()

    killed = latest_run(single.database_url)
    assert killed["status"] == "running"  # nobody could record the end of the run
    stored = single.evidence_count()
    assert 0 < stored < expected
    assert stored == killed["counts"]["evidence_created"]  # counts commit with their pages
    single.reset_stats()

    RqJobs(single.redis_url).enqueue_sync(course_id, "test")
    burst = cli(single.env, "worker", "--burst", timeout=180)
    assert burst.returncode == 0, burst.stdout[-2000:] + burst.stderr[-2000:]

    final = latest_run(single.database_url)
    runs = {r["id"]: r for r in final["runs"]}
    assert final["status"] == "succeeded", final
    assert runs[killed["id"]]["status"] == "failed"
    assert "interrupted" in runs[killed["id"]]["error"]
    assert single.evidence_count() == expected  # nothing lost, nothing duplicated
    # it resumed from the killed run's last page: no roster re-read, only the rest created
    assert single.stats()["requests"].get("nrps", 0) == 0, single.stats()
    assert killed["counts"]["evidence_created"] + final["counts"]["evidence_created"] \
        == expected
