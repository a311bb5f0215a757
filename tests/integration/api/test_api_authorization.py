"""The authorization matrix: every credential against reads and writes, and tenant isolation."""

from __future__ import annotations

import pytest

from lti_tool.bootstrap import services
from lti_tool.usecases.api_keys import list_api_keys, revoke_api_key
from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import Seeded, seed


@pytest.fixture
def seeded(api_world: ApiWorld) -> Seeded:
    return seed(api_world.app.test_client(), api_world.headers("all"))


def _widget(api_world: ApiWorld, person_id: int) -> dict[str, str]:
    response = api_world.app.test_client().post("/api/v1/widget-tokens", json={
        "person_id": person_id}, headers=api_world.headers("write"))
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json['token']}"}


def _assert_error(response: object, status: int, code: str) -> None:
    assert response.status_code == status  # type: ignore[attr-defined]
    body = response.json  # type: ignore[attr-defined]
    assert body["status"] == status and body["code"] == code
    assert set(body) == {"code", "status", "message", "errors"}


def test_no_key_is_401(api_world: ApiWorld, seeded: Seeded) -> None:
    response = api_world.app.test_client().get("/api/v1/frameworks")
    _assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer cp_nope_nope", "Bearer junk", "Basic abc",
                                    "Bearer cpw.e30.forged"])
def test_bad_credentials_are_401(api_world: ApiWorld, header: str) -> None:
    response = api_world.app.test_client().get("/api/v1/roles",
                                               headers={"Authorization": header})
    _assert_error(response, 401, "unauthorized")


def test_revoked_key_is_401(api_world: ApiWorld, seeded: Seeded) -> None:
    db = services(api_world.app).database
    key = next(k for k in list_api_keys(db, "acme") if k.name == "read")
    revoke_api_key(db, key.id)
    response = api_world.app.test_client().get("/api/v1/roles", headers=api_world.headers("read"))
    _assert_error(response, 401, "unauthorized")


def test_read_key_cannot_write(api_world: ApiWorld, seeded: Seeded) -> None:
    client = api_world.app.test_client()
    response = client.post("/api/v1/people", json={"sub": "x"}, headers=api_world.headers("read"))
    _assert_error(response, 403, "forbidden")
    response = client.delete(f"/api/v1/people/{seeded.person_id}",
                             headers=api_world.headers("read"))
    _assert_error(response, 403, "forbidden")
    assert client.get("/api/v1/roles", headers=api_world.headers("read")).status_code == 200


def test_write_key_cannot_read_nor_manage_keys(api_world: ApiWorld, seeded: Seeded) -> None:
    client = api_world.app.test_client()
    _assert_error(client.get("/api/v1/roles", headers=api_world.headers("write")), 403,
                  "forbidden")
    _assert_error(client.get("/api/v1/api-keys", headers=api_world.headers("write")), 403,
                  "forbidden")
    assert client.get("/api/v1/api-keys", headers=api_world.headers("all")).status_code == 200


@pytest.mark.parametrize("path", ["/frameworks/{fw}", "/roles/{role}", "/people/{person}",
                                  "/people/{person}/export", "/people/{person}/evidence",
                                  "/people/{person}/readiness/{role}", "/courses/{course}",
                                  "/courses/{course}/items/{item}", "/courses/{course}/rules",
                                  "/people/{person}/projects", "/people/{person}/observations",
                                  "/people/{person}/self-ratings",
                                  "/people/{person}/current-role",
                                  "/courses/{course}/project-queue"])
def test_another_tenants_object_is_404_like_a_missing_one(api_world: ApiWorld, seeded: Seeded,
                                                          path: str) -> None:
    client = api_world.app.test_client()
    ids = {"fw": seeded.framework_id, "role": seeded.role_id, "person": seeded.person_id,
           "course": seeded.course_id, "item": seeded.item_id}
    theirs = client.get("/api/v1" + path.format(**ids), headers=api_world.headers("other"))
    missing = client.get("/api/v1" + path.format(**{k: 99999 for k in ids}),
                         headers=api_world.headers("other"))
    _assert_error(theirs, 404, "not_found")
    _assert_error(missing, 404, "not_found")
    assert theirs.json["message"].split()[0] == missing.json["message"].split()[0]


def test_other_tenant_cannot_write_into_objects(api_world: ApiWorld, seeded: Seeded) -> None:
    client = api_world.app.test_client()
    for method, path in (("delete", f"/people/{seeded.person_id}"),
                         ("delete", f"/roles/{seeded.role_id}"),
                         ("put", f"/people/{seeded.person_id}/goals/{seeded.role_id}")):
        response = getattr(client, method)("/api/v1" + path, headers=api_world.headers("other"))
        _assert_error(response, 404, "not_found")
    evidence = client.post(f"/api/v1/people/{seeded.person_id}/evidence", json={
        "kind": "certification", "competency_id": seeded.competency_ids[0], "value": 2},
        headers=api_world.headers("other"))
    _assert_error(evidence, 404, "not_found")
    listing = client.get("/api/v1/people", headers=api_world.headers("other"))
    assert listing.json == [] and listing.headers["X-Total-Count"] == "0"


def test_widget_token_reads_its_person_only(api_world: ApiWorld, seeded: Seeded) -> None:
    client = api_world.app.test_client()
    token = _widget(api_world, seeded.person_id)
    for path in (f"/people/{seeded.person_id}/readiness/{seeded.role_id}",
                 f"/people/{seeded.person_id}/next-roles", f"/people/{seeded.person_id}/goals"):
        assert client.get("/api/v1" + path, headers=token).status_code == 200
    for person in (seeded.other_person_id, 99999):
        for path in (f"/people/{person}/readiness/{seeded.role_id}", f"/people/{person}/goals",
                     f"/people/{person}/next-roles"):
            _assert_error(client.get("/api/v1" + path, headers=token), 404, "not_found")


def test_widget_token_cannot_write_or_read_elsewhere(api_world: ApiWorld, seeded: Seeded) -> None:
    client = api_world.app.test_client()
    token = _widget(api_world, seeded.person_id)
    _assert_error(client.put(f"/api/v1/people/{seeded.person_id}/goals/{seeded.role_id}",
                             headers=token), 403, "forbidden")
    _assert_error(client.post(f"/api/v1/people/{seeded.person_id}/evidence", headers=token,
                              json={"kind": "external", "competency_id": 1, "value": 4}),
                  403, "forbidden")
    _assert_error(client.get(f"/api/v1/people/{seeded.person_id}", headers=token), 403,
                  "forbidden")
    _assert_error(client.get("/api/v1/frameworks", headers=token), 403, "forbidden")


def test_widget_token_of_another_tenant_person_is_404(api_world: ApiWorld,
                                                      seeded: Seeded) -> None:
    client = api_world.app.test_client()
    minted = client.post("/api/v1/widget-tokens", json={"person_id": seeded.person_id},
                         headers=api_world.headers("other"))
    _assert_error(minted, 404, "not_found")


def test_expired_widget_token_is_401(api_world: ApiWorld, seeded: Seeded) -> None:
    from datetime import UTC, datetime, timedelta

    from lti_tool.usecases.widget_tokens import mint_widget_token

    svc = services(api_world.app)
    old = mint_widget_token(svc.database, svc.settings.secret_key, 1, seeded.person_id, 60,
                            now=datetime.now(UTC) - timedelta(minutes=5))
    response = api_world.app.test_client().get(
        f"/api/v1/people/{seeded.person_id}/goals",
        headers={"Authorization": f"Bearer {old.token}"})
    _assert_error(response, 401, "unauthorized")
    too_long = api_world.app.test_client().post(
        "/api/v1/widget-tokens", json={"person_id": seeded.person_id, "ttl_seconds": 901},
        headers=api_world.headers("write"))
    _assert_error(too_long, 422, "invalid_input")


def test_people_evidence_writes_of_another_tenant_are_404(api_world: ApiWorld,
                                                          seeded: Seeded) -> None:
    client, other = api_world.app.test_client(), api_world.headers("other")
    person, competency = seeded.person_id, seeded.competency_ids[0]
    for method, path, body in (
            ("post", f"/people/{person}/projects", {"competency_id": competency,
                                                    "url": "https://x.example/p"}),
            ("post", f"/people/{person}/observations", {
                "author_id": seeded.other_person_id, "competency_id": competency, "level": 2}),
            ("put", f"/people/{person}/self-ratings/{competency}", {"level": 2}),
            ("put", f"/people/{person}/current-role", {"role_id": seeded.role_id}),
            ("put", f"/people/{person}/managers/{seeded.other_person_id}", None)):
        response = getattr(client, method)("/api/v1" + path, json=body, headers=other)
        _assert_error(response, 404, "not_found")


def test_widget_token_acts_for_its_person_only_on_people_evidence(api_world: ApiWorld,
                                                                   seeded: Seeded) -> None:
    client = api_world.app.test_client()
    token = _widget(api_world, seeded.person_id)
    competency = seeded.competency_ids[0]
    own = client.put(f"/api/v1/people/{seeded.person_id}/self-ratings/{competency}",
                     json={"level": 2}, headers=token)
    assert own.status_code == 200
    for person in (seeded.other_person_id, 99999):
        _assert_error(client.put(f"/api/v1/people/{person}/self-ratings/{competency}",
                                 json={"level": 2}, headers=token), 404, "not_found")
        _assert_error(client.post(f"/api/v1/people/{person}/projects", headers=token, json={
            "competency_id": competency, "url": "https://x.example/p"}), 404, "not_found")
    # reviewing and observing are staff's: a widget token may not
    _assert_error(client.post(f"/api/v1/people/{seeded.person_id}/observations", json={
        "author_id": seeded.person_id, "competency_id": competency, "level": 4},
        headers=token), 403, "forbidden")
    _assert_error(client.post("/api/v1/projects/1/accept", json={
        "reviewer_id": seeded.person_id, "level": 4}, headers=token), 403, "forbidden")


def _new_writes(seeded: Seeded, evidence_id: int) -> list[tuple[str, str, dict]]:
    fw, (rm, _an) = seeded.framework_id, seeded.competency_ids
    rule_body = {"lms_item_id": seeded.item_id, "competency_id": rm, "level": 2,
                 "condition": {"type": "completed"}}
    return [
        ("patch", f"/frameworks/{fw}/competencies/{rm}", {"name": "Renamed"}),
        ("delete", f"/frameworks/{fw}/competencies/{rm}?force=true", {}),
        ("put", f"/courses/{seeded.course_id}/rules/1", rule_body),
        ("delete", f"/roles/{seeded.role_id}/transitions/{seeded.role_id}", {}),
        ("delete", f"/people/{seeded.person_id}/evidence/{evidence_id}", {}),
    ]


def test_new_writes_need_the_write_scope_and_stay_in_their_tenant(api_world: ApiWorld,
                                                                  seeded: Seeded) -> None:
    client = api_world.app.test_client()
    made = client.post(f"/api/v1/people/{seeded.person_id}/evidence", json={
        "kind": "certification", "competency_id": seeded.competency_ids[0], "value": 2},
        headers=api_world.headers("write"))
    assert made.status_code == 201
    token = _widget(api_world, seeded.person_id)
    before = client.get(f"/api/v1/frameworks/{seeded.framework_id}",
                        headers=api_world.headers("read")).json
    for method, path, body in _new_writes(seeded, made.json["id"]):
        for headers, status, code in ((api_world.headers("read"), 403, "forbidden"),
                                      (token, 403, "forbidden"),
                                      (api_world.headers("other"), 404, "not_found"),
                                      ({}, 401, "unauthorized")):
            response = getattr(client, method)("/api/v1" + path, json=body or None,
                                               headers=headers)
            _assert_error(response, status, code)
    scale = {"key": "mine", "name": "Mine", "levels": [
        {"value": 1, "label": "a"}, {"value": 2, "label": "b", "mastery": True}]}
    _assert_error(client.post("/api/v1/scales", json=scale, headers=api_world.headers("read")),
                  403, "forbidden")
    assert client.post("/api/v1/scales", json=scale,
                       headers=api_world.headers("other")).status_code == 201
    assert client.get("/api/v1/scales/mine", headers=api_world.headers("read")).status_code \
        == 404  # another tenant's scale is invisible
    after = client.get(f"/api/v1/frameworks/{seeded.framework_id}",
                       headers=api_world.headers("read")).json
    assert after == before
    evidence = client.get(f"/api/v1/people/{seeded.person_id}/evidence",
                          headers=api_world.headers("read")).json
    assert [e["id"] for e in evidence] == [made.json["id"]]
