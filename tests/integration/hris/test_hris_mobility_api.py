"""HRIS events through the API → people's current roles and mobility metrics by hand."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.store.models import EventRow
from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import Seeded, seed


@pytest.fixture
def seeded(api_world: ApiWorld) -> Seeded:
    return seed(api_world.app.test_client(), api_world.headers("all"))


def _roles(client: FlaskClient, headers: dict[str, str]) -> list[int]:
    return [client.post("/api/v1/roles", json={"name": name}, headers=headers).json["id"]
            for name in ("Analyst", "Senior Analyst", "Product Owner")]


def _batch(r1: int, r2: int, r3: int) -> dict[str, Any]:
    return {
        "hires": [{"sub": "p1", "role_id": r1, "effective_date": "2025-01-01"},
                  {"sub": "p2", "role_id": r1, "effective_date": "2025-03-01"}],
        "role_changes": [
            {"sub": "p1", "from_role_id": r1, "to_role_id": r2, "kind": "promotion",
             "effective_date": "2025-07-01"},
            {"sub": "p2", "to_role_id": r2, "kind": "promotion",
             "effective_date": "2025-06-15"},
            {"sub": "p1", "from_role_id": r2, "to_role_id": r3, "kind": "lateral",
             "effective_date": "2025-10-01"}],
        "openings": [
            {"opening_id": "REQ-1", "role_id": r2, "opened_on": "2025-05-01",
             "filled_on": "2025-06-15", "filled_internally": True},
            {"opening_id": "REQ-2", "role_id": r2, "opened_on": "2025-07-01",
             "filled_on": "2025-08-20", "filled_internally": False},
            {"role_id": r3, "opened_on": "2025-11-01"}]}


def test_hris_events_move_people_and_give_hand_computed_metrics(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    r1, r2, r3 = _roles(client, headers)
    response = client.post("/api/v1/hris/events", json=_batch(r1, r2, r3), headers=headers)
    assert response.status_code == 200, response.json
    receipt = response.json
    assert receipt["role_changes_recorded"] == 5 and receipt["openings_created"] == 3
    assert receipt["people_created"] == 2
    people = {p["sub"]: p for p in client.get("/api/v1/people", headers=headers).json}
    assert people["p1"]["current_role_id"] == r3 and people["p2"]["current_role_id"] == r2
    again = client.post("/api/v1/hris/events", json=_batch(r1, r2, r3), headers=headers).json
    assert again["role_changes_known"] == 5 and again["openings_updated"] == 3

    found = client.get("/api/v1/metrics/mobility?from=2025-01-01&to=2025-12-31",
                       headers=api_world.headers("read")).json
    # fills in 2025: REQ-1 internal, REQ-2 external → 1/2
    assert found["internal_fill_rate"] == {"internal": 1, "total": 2, "rate": 0.5}
    # promotions after 181 days (p1: 1 Jan → 1 Jul) and 106 days (p2: 1 Mar → 15 Jun)
    assert found["time_to_promotion"] == {"count": 2, "days": 143.5}
    # moves after 181, 106 and 92 days (p1's lateral move 1 Jul → 1 Oct)
    assert found["mobility_velocity"]["count"] == 3
    assert found["mobility_velocity"]["days"] == pytest.approx(379 / 3)
    assert len(found["series"]) == 12
    june = found["series"][5]
    assert june["month"] == "2025-06-01" and june["time_to_promotion"]["days"] == 106.0
    by_role = client.get(f"/api/v1/metrics/mobility?from=2025-01-01&to=2025-12-31"
                         f"&role_id={r2}", headers=headers).json
    assert by_role["internal_fill_rate"]["total"] == 2
    assert by_role["mobility_velocity"] == {"count": 1, "days": 92.0}


def test_a_bad_batch_stores_nothing(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    r1, r2, _ = _roles(client, headers)
    other = api_world.app.test_client().post("/api/v1/roles", json={"name": "X"},
                                             headers=api_world.headers("other")).json["id"]
    response = client.post("/api/v1/hris/events", json={
        "hires": [{"sub": "p9", "role_id": r1, "effective_date": "2025-01-01"}],
        "role_changes": [{"sub": "p9", "to_role_id": other, "kind": "promotion",
                          "effective_date": "2025-02-01"},
                         {"sub": "p9", "to_role_id": r2, "kind": "exit",
                          "effective_date": "2025-03-01"}]}, headers=headers)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"role_changes.0.to_role_id",
                                            "role_changes.1.to_role_id"}
    assert all(p["sub"] != "p9" for p in client.get("/api/v1/people", headers=headers).json)


def test_metrics_need_read_and_hris_needs_write(api_world: ApiWorld) -> None:
    client = api_world.app.test_client()
    assert client.post("/api/v1/hris/events", json={},
                       headers=api_world.headers("read")).status_code == 403
    assert client.get("/api/v1/metrics/mobility?from=2025-01-01&to=2025-01-31",
                      headers=api_world.headers("write")).status_code == 403
    assert client.get("/api/v1/metrics/mobility?from=2025-02-01&to=2025-01-31",
                      headers=api_world.headers("read")).status_code == 422


def test_evidence_through_the_api_publishes_events_and_the_ready_edge_once(
        api_world: ApiWorld, seeded: Seeded) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    person, (rm, an) = seeded.person_id, seeded.competency_ids
    assert client.put(f"/api/v1/people/{person}/goals/{seeded.role_id}",
                      headers=headers).status_code == 200
    for competency, level, ref in ((rm, 3, "a"), (an, 2, "b"), (an, 3, "c")):
        response = client.post(f"/api/v1/people/{person}/evidence", json={
            "kind": "manager_endorsement", "competency_id": competency, "value": level,
            "source_ref": ref}, headers=headers)
        assert response.status_code == 201, response.json
    with services(api_world.app).database.session() as session:
        kinds = [e.type for e in session.scalars(select(EventRow).order_by(EventRow.created_at))]
    assert kinds.count("evidence.added") == 3
    assert kinds.count("person.ready_for_role") == 1


def test_the_hris_example_runs_against_a_live_tool(api_world: ApiWorld, live_api: str) -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "examples" / "hris_mobility.py"
    env = {**os.environ, "CAREERPATH_URL": live_api, "CAREERPATH_API_KEY": api_world.keys["all"]}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "internal fill rate for Senior Analyst: 0.5" in done.stdout


def test_a_goal_role_without_requirements_does_not_break_the_report(
        api_world: ApiWorld, seeded: Seeded) -> None:
    """Regression: such a role has no readiness; the rest of the report must still come."""
    client, headers = api_world.app.test_client(), api_world.headers("all")
    empty = client.post("/api/v1/roles", json={"name": "Role with no requirements yet"},
                        headers=headers).json["id"]
    person = client.get("/api/v1/people", headers=headers).json[0]["id"]
    assert client.put(f"/api/v1/people/{person}/goals/{empty}",
                      headers=headers).status_code in (200, 201, 204)
    report = client.get("/api/v1/metrics/mobility?from=2025-01-01&to=2025-12-31",
                        headers=headers)
    assert report.status_code == 200, report.json
    assert all(str(r["role_id"]) != str(empty) for r in report.json["readiness"])


def test_mobility_is_computed_once_per_data_version(api_world: ApiWorld,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A repeated request reads no person; new HRIS facts are seen at the next one."""
    from lti_tool.usecases import mobility

    calls: list[int] = []
    real = mobility._mobility_report

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(mobility, "_mobility_report", counting)
    client, headers = api_world.app.test_client(), api_world.headers("all")
    r1, r2, r3 = _roles(client, headers)
    url = "/api/v1/metrics/mobility?from=2025-01-01&to=2025-12-31"
    empty = client.get(url, headers=headers).json
    assert client.get(url, headers=headers).json == empty and len(calls) == 1
    assert client.post("/api/v1/hris/events", json=_batch(r1, r2, r3),
                       headers=headers).status_code == 200
    found = client.get(url, headers=headers).json
    assert len(calls) == 2 and found != empty
    assert client.get(url, headers=headers).json == found and len(calls) == 2
