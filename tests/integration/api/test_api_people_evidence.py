"""Projects, observations, self-ratings and current roles through the REST API."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import Seeded, seed

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class Api:
    def __init__(self, world: ApiWorld, key: str = "all") -> None:
        self.client: FlaskClient = world.app.test_client()
        self.headers = world.headers(key)

    def __call__(self, method: str, path: str, body: Any = None,
                 headers: dict[str, str] | None = None) -> Any:
        return self.client.open(f"/api/v1{path}", method=method, json=body,
                                headers=headers or self.headers)


@pytest.fixture
def seeded(api_world: ApiWorld) -> Seeded:
    return seed(api_world.app.test_client(), api_world.headers("all"))


@pytest.fixture
def teacher(api_world: ApiWorld, seeded: Seeded) -> int:
    """An instructor of the seeded course, where Ann (and not Bob) learns."""
    call = Api(api_world)
    teacher = call("POST", "/people", {"sub": "tess", "name": "Tess"}).json["id"]
    assert call("PUT", f"/courses/{seeded.course_id}/members/{seeded.person_id}",
                {"roles": ["Learner"]}).status_code == 200
    assert call("PUT", f"/courses/{seeded.course_id}/members/{teacher}",
                {"roles": [INSTRUCTOR]}).status_code == 200
    return teacher


def _widget(api_world: ApiWorld, person_id: int) -> dict[str, str]:
    token = Api(api_world)("POST", "/widget-tokens", {"person_id": person_id}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_project_submitted_by_the_learner_accepted_by_the_instructor(
        api_world: ApiWorld, seeded: Seeded, teacher: int) -> None:
    call, ann = Api(api_world), seeded.person_id
    rm = seeded.competency_ids[0]
    own = _widget(api_world, ann)
    before = call("GET", f"/people/{ann}/readiness/{seeded.role_id}").json["score"]
    refused = call("POST", f"/people/{ann}/projects", {"competency_id": rm,
                                                       "url": "http://plain.example/x"}, own)
    assert refused.status_code == 422 and "url" in refused.json["errors"]
    sent = call("POST", f"/people/{ann}/projects", {"competency_id": rm, "title": "Roadmap",
                                                    "url": "https://docs.example/roadmap"}, own)
    assert sent.status_code == 201 and sent.json["state"] == "submitted"
    queue = call("GET", f"/courses/{seeded.course_id}/project-queue").json
    assert [q["id"] for q in queue] == [sent.json["id"]]
    bob_widget = _widget(api_world, seeded.other_person_id)
    assert call("GET", f"/people/{ann}/projects", None, bob_widget).status_code == 404
    stranger = call("POST", f"/projects/{sent.json['id']}/accept",
                    {"reviewer_id": seeded.other_person_id, "level": 3})
    assert stranger.status_code == 403 and stranger.json["code"] == "forbidden"
    off_scale = call("POST", f"/projects/{sent.json['id']}/accept",
                     {"reviewer_id": teacher, "level": 9})
    assert off_scale.status_code == 422
    done = call("POST", f"/projects/{sent.json['id']}/accept",
                {"reviewer_id": teacher, "level": 3, "course_id": seeded.course_id})
    assert done.status_code == 200, done.json
    assert (done.json["state"], done.json["level"], done.json["reviewer_id"]) == (
        "accepted", 3, teacher)
    again = call("POST", f"/projects/{sent.json['id']}/return",
                 {"reviewer_id": teacher, "comment": "no"})
    assert again.status_code == 409
    evidence = call("GET", f"/people/{ann}/evidence").json
    assert {"kind": "project_accepted", "competency_id": rm, "value": 3.0} in [
        {k: e[k] for k in ("kind", "competency_id", "value")} for e in evidence]
    after = call("GET", f"/people/{ann}/readiness/{seeded.role_id}").json["score"]
    assert after > before
    assert call("GET", f"/people/{ann}/projects", None, own).json[0]["state"] == "accepted"
    other_tenant = Api(api_world, "other")
    assert other_tenant("GET", f"/courses/{seeded.course_id}/project-queue").status_code == 404
    assert other_tenant("POST", f"/projects/{sent.json['id']}/return",
                        {"reviewer_id": teacher, "comment": "x"}).status_code == 404


def test_observation_and_withdrawal_by_its_author_only(api_world: ApiWorld, seeded: Seeded,
                                                       teacher: int) -> None:
    call, ann, an = Api(api_world), seeded.person_id, seeded.competency_ids[1]
    seen = call("POST", f"/people/{ann}/observations", {
        "author_id": teacher, "competency_id": an, "level": 2, "note": "<script>x</script>"})
    assert seen.status_code == 201, seen.json
    assert (seen.json["author_id"], seen.json["as_manager"], seen.json["note"]) == (
        teacher, False, "<script>x</script>")
    assert call("POST", f"/people/{seeded.other_person_id}/observations", {
        "author_id": teacher, "competency_id": an, "level": 2}).status_code == 403
    assert [o["id"] for o in call("GET", f"/people/{ann}/observations").json] == [
        seen.json["id"]]
    kinds = [e["kind"] for e in call("GET", f"/people/{ann}/evidence").json]
    assert "instructor_observation" in kinds
    assert call("POST", f"/observations/{seen.json['id']}/withdraw",
                {"author_id": seeded.other_person_id}).status_code == 403
    assert call("POST", f"/observations/{seen.json['id']}/withdraw",
                {"author_id": teacher}).status_code == 204
    assert call("GET", f"/people/{ann}/observations").json == []
    assert "instructor_observation" not in [
        e["kind"] for e in call("GET", f"/people/{ann}/evidence").json]


def test_self_rating_beside_the_evidence_and_the_tenant_flag(api_world: ApiWorld,
                                                             seeded: Seeded) -> None:
    call, ann, an = Api(api_world), seeded.person_id, seeded.competency_ids[1]
    own = _widget(api_world, ann)
    rated = call("PUT", f"/people/{ann}/self-ratings/{an}", {"level": 3}, own)
    assert rated.status_code == 200, rated.json
    assert (rated.json["level"], rated.json["evidence_level"], rated.json["gap"]) == (
        3, None, None)
    assert call("GET", "/settings/evidence").json == {"managers_may_observe": False,
                                                       "self_ratings_count": False}
    assert Api(api_world, "write")("PATCH", "/settings/evidence",
                                   {"self_ratings_count": True}).status_code == 403
    assert call("PATCH", "/settings/evidence", {"self_ratings_count": True}).json[
        "self_ratings_count"] is True
    rated = call("PUT", f"/people/{ann}/self-ratings/{an}", {"level": 2}, own)
    assert (rated.json["evidence_level"], rated.json["gap"]) == (2.0, 0.0)


def test_current_role_chosen_by_the_learner(api_world: ApiWorld, seeded: Seeded) -> None:
    call, ann = Api(api_world), seeded.person_id
    own = _widget(api_world, ann)
    chosen = call("PUT", f"/people/{ann}/current-role", {"role_id": seeded.role_id}, own)
    assert chosen.json == {"person_id": ann, "role_id": seeded.role_id, "source": "learner"}
    assert call("GET", f"/people/{ann}", None).json["current_role_id"] == seeded.role_id
    assert call("PUT", f"/people/{ann}/current-role", {"role_id": 999999}).status_code == 404
    other_role = Api(api_world, "other")("POST", "/roles", {"name": "Theirs"}).json["id"]
    assert call("PUT", f"/people/{ann}/current-role", {"role_id": other_role}).status_code \
        == 404


def test_managers_from_the_hris_observe_when_the_tenant_allows(api_world: ApiWorld,
                                                               seeded: Seeded) -> None:
    call, ann, an = Api(api_world), seeded.person_id, seeded.competency_ids[1]
    boss = seeded.other_person_id
    assert call("PUT", f"/people/{ann}/managers/{boss}").status_code == 204
    body = {"author_id": boss, "competency_id": an, "level": 2}
    assert call("POST", f"/people/{ann}/observations", body).status_code == 403
    call("PATCH", "/settings/evidence", {"managers_may_observe": True})
    seen = call("POST", f"/people/{ann}/observations", body)
    assert seen.status_code == 201 and seen.json["as_manager"] is True
    assert call("DELETE", f"/people/{ann}/managers/{boss}").status_code == 204
    assert call("POST", f"/people/{ann}/observations", body).status_code == 403
