"""A 2-minute soak (`make soak`): launches, REST API calls and syncs at the same time, against
two tool processes on PostgreSQL and Redis. No 5xx anywhere; no evidence lost.

CAREERPATH_SOAK_SECONDS shortens or lengthens it (default 120).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from lti_tool.sandbox import seed_load
from lti_tool.store import Database
from lti_tool.store.database import engine_url
from lti_tool.usecases.api_keys import create_api_key
from tests.reliability.conftest import Cluster, cli, start_cluster, stop_cluster
from tests.support.browser import Browser

DURATION = float(os.environ.get("CAREERPATH_SOAK_SECONDS", "120"))
COURSE = "soak-course"
LEARNERS, ITEMS = 300, 4
MAX_ITERATIONS = 5000  # per worker thread: the loops stop on time or on count


@pytest.fixture
def soak_cluster(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Cluster]:
    running = start_cluster(postgres_url, redis_url, tmp_path, tools=2,
                            extra_env={"CAREERPATH_API_RATE_LIMIT_PER_MINUTE": "1000000"})
    try:
        yield running
    finally:
        stop_cluster(running)


class Recorder:
    """What every thread saw: server errors, failures, and evidence the API accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.server_errors: list[str] = []
        self.failures: list[str] = []
        self.accepted_refs: set[str] = set()
        self.counts: dict[str, int] = {}

    def seen(self, what: str, status: int, detail: str = "") -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1
            if status >= 500:
                self.server_errors.append(f"{what}: {status} {detail[:200]}")

    def failed(self, message: str) -> None:
        with self.lock:
            self.failures.append(message[:500])


def run_for(deadline: float, recorder: Recorder, step: Callable[[int], None]) -> None:
    for iteration in range(MAX_ITERATIONS):
        if time.monotonic() >= deadline:
            return
        try:
            step(iteration)
        except Exception as exc:  # noqa: BLE001 - recorded, the test fails on it
            recorder.failed(f"{step.__name__}: {exc!r}")


def api_setup(cluster: Cluster) -> tuple[str, int, list[int]]:
    """An API key for the platform's tenant, a framework and a role; returns (token, role,
    people ids)."""
    engine = create_engine(engine_url(cluster.database_url), poolclass=NullPool)
    with engine.connect() as connection:
        slug = connection.execute(text(
            "SELECT slug FROM tenants WHERE id = (SELECT tenant_id FROM "
            "platform_registrations ORDER BY id LIMIT 1)")).scalar_one()
        people = list(connection.execute(text("SELECT id FROM people ORDER BY id")).scalars())
    engine.dispose()
    database = Database(cluster.database_url)
    try:
        token = create_api_key(database, slug, "read,write", name="soak").token
    finally:
        database.dispose()
    headers = {"Authorization": f"Bearer {token}"}
    base = f"{cluster.tool_urls[0]}/api/v1"
    framework = requests.post(f"{base}/frameworks", headers=headers, timeout=15, json={
        "name": "Soak", "scale_key": "four_point_rubric", "competencies": [
            {"code": "A", "name": "Alpha"}, {"code": "B", "name": "Beta"}]})
    assert framework.status_code == 201, framework.text
    ids = [c["id"] for c in framework.json()["competencies"]]
    role = requests.post(f"{base}/roles", headers=headers, timeout=15, json={
        "name": "Soak role", "requirements": [{"competency_id": ids[0], "required_level": 2}]})
    assert role.status_code == 201, role.text
    return token, role.json()["id"], people


@pytest.mark.soak
def test_soak_mixed_traffic(soak_cluster: Cluster) -> None:
    cluster = soak_cluster
    seed_load(cluster.sandbox, LEARNERS, ITEMS, course_id=COURSE)
    first = cluster.launch(Browser(), f"{COURSE}-link", f"{COURSE}-u00000", COURSE)
    assert first.status_code == 200, first.text[:500]
    course_id = cluster.course_id(COURSE)
    token, role_id, people = api_setup(cluster)
    assert people, "the launch created nobody"
    headers = {"Authorization": f"Bearer {token}"}
    competency = requests.get(f"{cluster.tool_urls[0]}/api/v1/frameworks", headers=headers,
                              timeout=15).json()
    competency_id = _first_competency(competency)
    recorder = Recorder()
    deadline = time.monotonic() + DURATION
    learners = cluster.users(COURSE)

    def launches(i: int) -> None:
        at = cluster.tool_urls[i % 2]
        page = cluster.launch(Browser(), f"{COURSE}-link", learners[i % len(learners)], COURSE,
                              launch_at=at)
        recorder.seen("launch", page.status_code, page.text)
        if page.status_code != 200:
            recorder.failed(f"launch at {at}: {page.status_code} {page.text[:200]}")

    def evidence(i: int) -> None:
        at = cluster.tool_urls[i % 2]
        person = people[i % len(people)]
        ref = f"soak:{uuid.uuid4().hex}"
        response = requests.post(f"{at}/api/v1/people/{person}/evidence", headers=headers,
                                 timeout=15, json={"kind": "manager_endorsement",
                                                   "competency_id": competency_id,
                                                   "value": 1.0, "source_ref": ref})
        recorder.seen("evidence", response.status_code, response.text)
        if response.status_code in (200, 201):
            with recorder.lock:
                recorder.accepted_refs.add(ref)
        elif response.status_code < 500:
            recorder.failed(f"evidence: {response.status_code} {response.text[:200]}")

    def readiness(i: int) -> None:
        at = cluster.tool_urls[(i + 1) % 2]
        person = people[i % len(people)]
        response = requests.get(f"{at}/api/v1/people/{person}/readiness/{role_id}",
                                headers=headers, timeout=15)
        recorder.seen("readiness", response.status_code, response.text)
        if response.status_code != 200:
            recorder.failed(f"readiness: {response.status_code} {response.text[:200]}")

    def syncs(_i: int) -> None:
        done = cli(cluster.env, "sync", "--course", str(course_id), timeout=max(DURATION, 60))
        recorder.seen("sync", 200 if done.returncode == 0 else 500, done.stdout + done.stderr)
        time.sleep(2)

    threads = [threading.Thread(target=run_for, args=(deadline, recorder, step), daemon=True)
               for step in (launches, launches, evidence, evidence, readiness, syncs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DURATION + 180)
    assert not any(thread.is_alive() for thread in threads), "a load thread did not stop"

    assert recorder.server_errors == [], recorder.server_errors[:10]
    assert recorder.failures == [], recorder.failures[:10]
    for kind in ("launch", "evidence", "readiness", "sync"):
        assert recorder.counts.get(kind, 0) > 0, recorder.counts
    engine = create_engine(engine_url(cluster.database_url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            stored = set(connection.execute(text(
                "SELECT source_ref FROM evidence WHERE source_ref LIKE 'soak:%'")).scalars())
            lms = connection.execute(text(
                "SELECT count(*) FROM evidence WHERE kind IN ('lms_completion', 'lms_score')"
            )).scalar_one()
            duplicates = connection.execute(text(
                "SELECT count(*) FROM (SELECT tenant_id, person_id, kind, source_ref FROM "
                "evidence GROUP BY tenant_id, person_id, kind, source_ref "
                "HAVING count(*) > 1) AS d")).scalar_one()
    finally:
        engine.dispose()
    assert recorder.accepted_refs <= stored, len(recorder.accepted_refs - stored)
    assert len(stored) == len(recorder.accepted_refs)
    assert lms == cluster.expected_evidence(COURSE)  # every sync left exact totals
    assert duplicates == 0
    print(f"soak {DURATION:.0f} s: {recorder.counts}")  # noqa: T201 - shown with -s


def _first_competency(frameworks: object) -> int:
    items = frameworks.get("items", frameworks) if isinstance(frameworks, dict) else frameworks
    for framework in items:  # type: ignore[union-attr]
        if framework.get("name") == "Soak":
            return int(framework["competencies"][0]["id"])
    raise AssertionError(f"no Soak framework in {frameworks}")
