"""/api/v1/courses/<id>/syncs: 202 + Location, list and read runs, scopes, tenant isolation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from lti_tool.bootstrap import services
from lti_tool.clock import utcnow
from lti_tool.store.repositories.sync import SyncRepository
from tests.integration.api.conftest import ApiWorld, make_world
from tests.integration.instructor.conftest import FakeJobs, with_sync_api


@pytest.fixture
def world(tmp_path: Path) -> ApiWorld:
    found = make_world(tmp_path)
    with_sync_api(found.app)
    return found


@pytest.fixture
def jobs(world: ApiWorld) -> FakeJobs:
    fake = FakeJobs()
    services(world.app).jobs = fake
    return fake


def course(world: ApiWorld, key: str = "all", services_known: bool = True) -> int:
    response = world.app.test_client().post("/api/v1/courses", json={
        "context_id": f"ctx-{key}", "title": "Course"}, headers=world.headers(key))
    assert response.status_code == 201, response.json
    course_id = response.json["id"]
    if services_known:
        with services(world.app).database.session() as session:
            SyncRepository(session).save_services(course_id, "https://lms/nrps",
                                                  "https://lms/lineitems", ["scope"])
    return course_id


def finished_run(world: ApiWorld, course_id: int, error: str = "") -> int:
    with services(world.app).database.session() as session:
        repo = SyncRepository(session)
        run = repo.start_run(course_id, "cli")
        start = utcnow()
        repo.update_run(run.id, status="failed" if error else "succeeded", started_at=start,
                        finished_at=start + timedelta(seconds=2.5), error=error,
                        counts={"evidence_created": 4, "pages": 2})
        return run.id


def _error(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.json  # type: ignore[attr-defined]
    assert response.json["code"] == code  # type: ignore[attr-defined]
    assert set(response.json) == {"code", "status", "message", "errors"}  # type: ignore[attr-defined]


def test_write_key_starts_a_background_sync(world: ApiWorld, jobs: FakeJobs) -> None:
    course_id = course(world)
    response = world.app.test_client().post(f"/api/v1/courses/{course_id}/syncs",
                                            headers=world.headers("write"))
    assert response.status_code == 202
    assert response.json == {"course_id": course_id, "job_id": "job-1", "status": "queued",
                             "trigger": "api"}
    assert response.headers["Location"].endswith(f"/api/v1/courses/{course_id}/syncs")
    assert jobs.calls == [(course_id, "api")]


def test_runs_are_listed_newest_first_with_paging_and_read_one(world: ApiWorld) -> None:
    course_id = course(world)
    first, second = finished_run(world, course_id), finished_run(world, course_id, "boom")
    client = world.app.test_client()
    listed = client.get(f"/api/v1/courses/{course_id}/syncs?per_page=1",
                        headers=world.headers("read"))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json] == [second]
    assert listed.headers["X-Total-Count"] == "2" and 'rel="next"' in listed.headers["Link"]
    one = client.get(f"/api/v1/courses/{course_id}/syncs/{first}", headers=world.headers("read"))
    assert one.status_code == 200
    assert one.json["status"] == "succeeded" and one.json["trigger"] == "cli"
    assert one.json["counts"] == {"evidence_created": 4, "pages": 2}
    assert one.json["duration_seconds"] == 2.5 and one.json["error"] == ""
    failed = client.get(f"/api/v1/courses/{course_id}/syncs/{second}",
                        headers=world.headers("read")).json
    assert failed["status"] == "failed" and failed["error"] == "boom"


def test_no_key_is_401_and_read_key_cannot_start(world: ApiWorld, jobs: FakeJobs) -> None:
    course_id = course(world)
    client = world.app.test_client()
    _error(client.post(f"/api/v1/courses/{course_id}/syncs"), 401, "unauthorized")
    _error(client.get(f"/api/v1/courses/{course_id}/syncs"), 401, "unauthorized")
    _error(client.post(f"/api/v1/courses/{course_id}/syncs", headers=world.headers("read")),
           403, "forbidden")
    _error(client.get(f"/api/v1/courses/{course_id}/syncs", headers=world.headers("write")),
           403, "forbidden")
    assert jobs.calls == []


def test_other_tenant_sees_404(world: ApiWorld, jobs: FakeJobs) -> None:
    course_id = course(world)
    run_id = finished_run(world, course_id)
    client, other = world.app.test_client(), world.headers("other")
    _error(client.post(f"/api/v1/courses/{course_id}/syncs", headers=other), 404, "not_found")
    _error(client.get(f"/api/v1/courses/{course_id}/syncs", headers=other), 404, "not_found")
    _error(client.get(f"/api/v1/courses/{course_id}/syncs/{run_id}", headers=other), 404,
           "not_found")
    assert jobs.calls == []


def test_run_of_another_course_is_404_and_unsyncable_course_409(world: ApiWorld,
                                                                 jobs: FakeJobs) -> None:
    course_id, bare = course(world), course(world, "write", services_known=False)
    run_id = finished_run(world, course_id)
    client = world.app.test_client()
    _error(client.get(f"/api/v1/courses/{bare}/syncs/{run_id}", headers=world.headers("read")),
           404, "not_found")
    _error(client.post(f"/api/v1/courses/{bare}/syncs", headers=world.headers("write")), 409,
           "conflict")
    assert jobs.calls == []
