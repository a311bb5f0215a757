"""Errors, paging, ETags, idempotency, rate limits, request ids, OpenAPI and the docs page."""

from __future__ import annotations

from pathlib import Path

from lti_tool.cache import MemoryCache
from tests.integration.api.conftest import ApiWorld, make_world
from tests.integration.api.seed import seed


def test_pagination_links_and_total(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    for n in range(5):
        client.post("/api/v1/people", json={"sub": f"p{n}"}, headers=headers)
    first = client.get("/api/v1/people?per_page=2", headers=headers)
    assert first.headers["X-Total-Count"] == "5" and len(first.json) == 2
    assert 'page=2&per_page=2>; rel="next"' in first.headers["Link"]
    assert 'rel="prev"' not in first.headers["Link"]
    last = client.get("/api/v1/people?per_page=2&page=3", headers=headers)
    assert len(last.json) == 1 and 'rel="next"' not in last.headers["Link"]
    assert 'page=2&per_page=2>; rel="prev"' in last.headers["Link"]
    too_many = client.get("/api/v1/people?per_page=101", headers=headers)
    assert too_many.status_code == 422 and "per_page" in too_many.json["errors"]


def test_etag_and_if_none_match(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    seeded = seed(client, headers)
    first = client.get(f"/api/v1/roles/{seeded.role_id}", headers=headers)
    again = client.get(f"/api/v1/roles/{seeded.role_id}",
                       headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    client.put(f"/api/v1/roles/{seeded.role_id}", headers=headers, json={
        "name": "PM III", "requirements": []})
    changed = client.get(f"/api/v1/roles/{seeded.role_id}",
                         headers={**headers, "If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.json["name"] == "PM III"


def test_idempotency_key_replays_without_redoing(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    body = {"sub": "idem", "name": "First"}
    keyed = {**headers, "Idempotency-Key": "abc-123"}
    one = client.post("/api/v1/people", json=body, headers=keyed)
    client.post("/api/v1/people", json={"sub": "idem", "name": "Changed"}, headers=headers)
    two = client.post("/api/v1/people", json=body, headers=keyed)
    assert one.status_code == two.status_code == 201 and two.json == one.json
    assert two.headers["Idempotent-Replayed"] == "true"
    person = client.get(f"/api/v1/people/{one.json['id']}", headers=headers)
    assert person.json["name"] == "Changed"
    other = client.post("/api/v1/people", json={"sub": "else"}, headers=keyed)
    assert other.status_code == 422 and other.json["code"] == "idempotency_key_reused"


def test_rate_limit_answers_429_with_retry_after(tmp_path: Path) -> None:
    world = make_world(tmp_path, api_rate_limit_per_minute=3)
    client = world.app.test_client()
    statuses = [client.get("/api/v1/roles", headers=world.headers("read")).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/roles", headers=world.headers("read"))
    assert limited.json["code"] == "rate_limited" and 1 <= int(limited.headers["Retry-After"])
    assert client.get("/api/v1/roles", headers=world.headers("all")).status_code == 200


def test_memory_cache_counts_atomically() -> None:
    now = [0.0]
    cache = MemoryCache(clock=lambda: now[0])
    assert [cache.incr("n", 10) for _ in range(3)] == [1, 2, 3]
    now[0] = 11
    assert cache.incr("n", 10) == 1


def test_errors_share_one_body(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    cases = [client.get("/api/v1/unknown", headers=headers),
             client.patch("/api/v1/roles", headers=headers),
             client.post("/api/v1/roles", json={"name": 3, "extra": 1}, headers=headers),
             client.post("/api/v1/frameworks", json={"name": "x", "scale_key": "nope"},
                         headers=headers),
             client.get("/api/v1/roles/424242", headers=headers)]
    assert [r.status_code for r in cases] == [404, 405, 422, 422, 404]
    for response in cases:
        assert set(response.json) == {"code", "status", "message", "errors"}
        assert response.headers["X-Request-Id"]
    assert set(cases[2].json["errors"]) == {"name", "extra"}


def test_unexpected_error_is_500_without_traceback(api_world: ApiWorld, monkeypatch) -> None:
    from lti_tool.usecases import catalogue

    def boom(*_args: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalogue, "list_scales", boom)
    response = api_world.app.test_client().get("/api/v1/scales",
                                               headers=api_world.headers("read"))
    assert response.status_code == 500 and response.json["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)


def test_request_id_is_echoed(api_world: ApiWorld) -> None:
    response = api_world.app.test_client().get(
        "/api/v1/scales", headers={**api_world.headers("read"), "X-Request-Id": "req-42"})
    assert response.headers["X-Request-Id"] == "req-42"


def test_openapi_and_offline_docs(api_world: ApiWorld) -> None:
    client = api_world.app.test_client()
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.") and "/api/v1/people/{person_id}/readiness/{role_id}" \
        in spec["paths"]
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/v1/frameworks" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_export_then_erase(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    seeded = seed(client, headers)
    client.put(f"/api/v1/courses/{seeded.course_id}/members/{seeded.person_id}", json={},
               headers=headers)
    client.put(f"/api/v1/people/{seeded.person_id}/goals/{seeded.role_id}", headers=headers)
    client.post(f"/api/v1/people/{seeded.person_id}/evidence", headers=headers, json={
        "kind": "certification", "competency_id": seeded.competency_ids[1], "value": 2})
    export = client.get(f"/api/v1/people/{seeded.person_id}/export", headers=headers).json
    assert export["person"]["sub"] == "ann" and len(export["evidence"]) == 1
    assert [g["role_id"] for g in export["goals"]] == [seeded.role_id]
    assert export["goals"][0]["role_name"] == "PM II" and len(export["memberships"]) == 1
    assert client.delete(f"/api/v1/people/{seeded.person_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/people/{seeded.person_id}", headers=headers).status_code == 404
    members = client.get(f"/api/v1/courses/{seeded.course_id}/members", headers=headers).json
    assert members == []
