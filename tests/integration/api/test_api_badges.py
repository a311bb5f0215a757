"""Badges through the API and the SDK: issued after evidence, read, revoked; the
authorization cells; badge.issued / badge.revoked in the outbox."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import requests
from careerpath_sdk import Client, NotFoundError, PermissionDenied
from sqlalchemy import select, update

from lti_tool.bootstrap import services
from lti_tool.store.models import CompetencyRow
from lti_tool.store.models.events import EventRow
from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import Seeded, seed


@pytest.fixture
def seeded(api_world: ApiWorld) -> Seeded:
    return seed(api_world.app.test_client(), api_world.headers("all"))


def _events(api_world: ApiWorld, kind: str) -> list[dict]:
    with services(api_world.app).database.session() as session:
        return [json.loads(data) for data in session.scalars(
            select(EventRow.data).where(EventRow.type == kind).order_by(EventRow.created_at))]


def _earn(api_world: ApiWorld, seeded: Seeded) -> dict:
    """Analytics earns a badge at level 2; evidence at 2 through the API issues it."""
    with services(api_world.app).database.session() as session:
        session.execute(update(CompetencyRow).where(
            CompetencyRow.id == seeded.competency_ids[1]).values(badge_level=2))
    client = api_world.app.test_client()
    added = client.post(f"/api/v1/people/{seeded.person_id}/evidence", json={
        "kind": "certification", "competency_id": seeded.competency_ids[1], "value": 2},
        headers=api_world.headers("write"))
    assert added.status_code == 201, added.json
    listed = client.get(f"/api/v1/people/{seeded.person_id}/badges",
                        headers=api_world.headers("read"))
    assert listed.status_code == 200 and len(listed.json) == 1, listed.json
    return listed.json[0]


def test_evidence_through_the_api_issues_the_badge_and_publishes_it(
        api_world: ApiWorld, seeded: Seeded) -> None:
    badge = _earn(api_world, seeded)
    assert badge["kind"] == "competency" and badge["person_id"] == seeded.person_id
    assert badge["name"] == "Analytics: Meets expectations"
    assert badge["result"] == "Meets expectations" and badge["revoked"] is False
    assert badge["url"].endswith(f"/badges/{badge['id']}")
    assert badge["json_url"] == badge["url"] + ".json" and badge["jwt_url"] == badge["url"] + ".jwt"
    assert _events(api_world, "badge.issued") == [{
        "badge_id": badge["id"], "person_id": seeded.person_id,
        "achievement_name": badge["name"], "kind": "competency", "url": badge["url"]}]
    client = api_world.app.test_client()
    one = client.get(f"/api/v1/badges/{badge['id']}", headers=api_world.headers("read"))
    assert one.status_code == 200 and one.json == badge
    page = client.get(urlsplit(badge["url"]).path)
    assert page.status_code == 200 and "Valid" in page.text
    again = client.post(f"/api/v1/people/{seeded.person_id}/evidence", json={
        "kind": "certification", "competency_id": seeded.competency_ids[1], "value": 3},
        headers=api_world.headers("write"))
    assert again.status_code == 201
    assert len(_events(api_world, "badge.issued")) == 1, "a held badge is not issued again"


def test_goal_put_issues_the_readiness_badge(api_world: ApiWorld, seeded: Seeded) -> None:
    client, write = api_world.app.test_client(), api_world.headers("write")
    for competency, level in zip(seeded.competency_ids, (3, 2), strict=True):
        assert client.post(f"/api/v1/people/{seeded.person_id}/evidence", json={
            "kind": "certification", "competency_id": competency, "value": level},
            headers=write).status_code == 201
    assert client.get(f"/api/v1/people/{seeded.person_id}/badges",
                      headers=api_world.headers("read")).json == []
    assert client.put(f"/api/v1/people/{seeded.person_id}/goals/{seeded.role_id}",
                      headers=write).status_code == 200
    badges = client.get(f"/api/v1/people/{seeded.person_id}/badges",
                        headers=api_world.headers("read")).json
    assert [(b["kind"], b["name"]) for b in badges] == [("role", "Ready for PM II")]
    assert badges[0]["result"] == "readiness 100%"


def test_revoke_needs_admin_and_publishes_badge_revoked(api_world: ApiWorld,
                                                        seeded: Seeded) -> None:
    badge = _earn(api_world, seeded)
    client, path = api_world.app.test_client(), f"/api/v1/badges/{badge['id']}/revoke"
    for key in ("read", "write"):
        refused = client.post(path, json={"reason": "x"}, headers=api_world.headers(key))
        assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    assert client.post(path, json={"reason": ""}, headers=api_world.headers("all")
                       ).status_code == 422
    assert client.post(path, json={}, headers=api_world.headers("all")).status_code == 422
    assert _events(api_world, "badge.revoked") == []
    done = client.post(path, json={"reason": "Issued in error"}, headers=api_world.headers("all"))
    assert done.status_code == 200, done.json
    assert done.json["revoked"] and done.json["revocation_reason"] == "Issued in error"
    assert done.json["revoked_at"] is not None
    [event] = _events(api_world, "badge.revoked")
    assert event["badge_id"] == badge["id"] and event["reason"] == "Issued in error"
    assert event["person_id"] == seeded.person_id and event["url"] == badge["url"]
    page = client.get(f"/badges/{badge['id']}")
    assert "Revoked: Issued in error" in page.text


def test_other_tenant_and_other_person_get_404(api_world: ApiWorld, seeded: Seeded) -> None:
    badge = _earn(api_world, seeded)
    client, other = api_world.app.test_client(), api_world.headers("other")
    for response in (client.get(f"/api/v1/badges/{badge['id']}", headers=other),
                     client.get(f"/api/v1/people/{seeded.person_id}/badges", headers=other),
                     client.post(f"/api/v1/badges/{badge['id']}/revoke",
                                 json={"reason": "theirs"}, headers=other),
                     client.get("/api/v1/badges/00000000-0000-4000-8000-000000000000",
                                headers=api_world.headers("read"))):
        assert response.status_code == 404 and response.json["code"] == "not_found"
    assert _events(api_world, "badge.revoked") == []
    minted = client.post("/api/v1/widget-tokens", json={"person_id": seeded.person_id},
                         headers=api_world.headers("write")).json["token"]
    widget = {"Authorization": f"Bearer {minted}"}
    own = client.get(f"/api/v1/people/{seeded.person_id}/badges", headers=widget,
                     environ_base={"HTTP_ORIGIN": "https://portal.example"})
    assert own.status_code == 200 and [b["id"] for b in own.json] == [badge["id"]]
    assert own.headers["Access-Control-Allow-Origin"] == "*"
    for person in (seeded.other_person_id, 99999):
        found = client.get(f"/api/v1/people/{person}/badges", headers=widget)
        assert found.status_code == 404 and found.json["code"] == "not_found"
    assert client.get(f"/api/v1/badges/{badge['id']}", headers=widget).status_code == 403
    assert client.post(f"/api/v1/badges/{badge['id']}/revoke", json={"reason": "x"},
                       headers=widget).status_code == 403


def test_sdk_badges(api_world: ApiWorld, seeded: Seeded, live_api: str) -> None:
    badge = _earn(api_world, seeded)
    client = Client(live_api, api_world.keys["all"])
    [listed] = client.badges.list(seeded.person_id)
    assert listed.id == badge["id"] and listed.name == badge["name"]
    assert listed.issued_at is not None and not listed.revoked
    assert client.badges.get(badge["id"]) == listed
    assert requests.get(live_api + urlsplit(listed.jwt_url).path, timeout=10).status_code == 200
    with pytest.raises(PermissionDenied):
        Client(live_api, api_world.keys["read"]).badges.revoke(badge["id"], "no")
    with pytest.raises(NotFoundError):
        Client(live_api, api_world.keys["other"]).badges.get(badge["id"])
    revoked = client.badges.revoke(badge["id"], "Withdrawn")
    assert revoked.revoked and revoked.revocation_reason == "Withdrawn"
    assert client.badges.list(seeded.person_id)[0].revoked
