"""Through the API, an erased person is not re-created by an import or an HRIS batch."""

from __future__ import annotations

from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import seed


def test_erased_sub_is_refused_by_imports_and_hris(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    s = seed(client, headers)
    assert client.delete(f"/api/v1/people/{s.person_id}", headers=headers).status_code == 204
    again = client.post("/api/v1/people", json={"sub": "ann", "name": "Ann"}, headers=headers)
    assert again.status_code == 409 and again.json["code"] == "person_erased"
    hris = client.post("/api/v1/hris/events", json={"role_changes": [{
        "sub": "ann", "kind": "hire", "to_role_id": s.role_id,
        "effective_date": "2026-11-01"}]}, headers=headers)
    assert hris.status_code == 409 and hris.json["code"] == "person_erased"
    people = client.get("/api/v1/people", headers=headers).json
    assert [p["sub"] for p in people] == ["bob"]
    other_tenant = client.post("/api/v1/people", json={"sub": "ann"},
                               headers=api_world.headers("other"))
    assert other_tenant.status_code == 201  # a tombstone holds in its own tenant only
