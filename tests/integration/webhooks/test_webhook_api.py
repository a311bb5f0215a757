"""/api/v1/webhooks: admin scope, secrets shown once, URL rules, tenant isolation."""

from __future__ import annotations

from careerpath_sdk import Client, PermissionDenied

from tests.integration.api.conftest import ApiWorld

URL = "https://hooks.example.com/careerpath"


def _create(world: ApiWorld, key: str = "all", **body: object) -> object:
    return world.app.test_client().post("/api/v1/webhooks", json={
        "url": URL, "event_types": ["person.ready_for_role", "badge.issued"], **body},
        headers=world.headers(key))


def test_admin_creates_and_the_secret_is_shown_once(api_world: ApiWorld) -> None:
    created = _create(api_world)
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    body = created.json
    assert body["secret"].startswith("whsec_") and body["active"] is True
    client = api_world.app.test_client()
    listed = client.get("/api/v1/webhooks", headers=api_world.headers("all")).json
    assert [s["id"] for s in listed] == [body["id"]] and "secret" not in listed[0]
    patched = client.patch(f"/api/v1/webhooks/{body['id']}", json={"active": False},
                           headers=api_world.headers("all"))
    assert patched.status_code == 200 and patched.json["active"] is False
    log = client.get(f"/api/v1/webhooks/{body['id']}/deliveries",
                     headers=api_world.headers("all"))
    assert log.status_code == 200 and log.json == []


def test_read_and_write_keys_cannot_manage_subscriptions(api_world: ApiWorld) -> None:
    assert _create(api_world, "read").status_code == 403
    assert _create(api_world, "write").status_code == 403
    assert api_world.app.test_client().get(
        "/api/v1/webhooks", headers=api_world.headers("read")).status_code == 403


def test_another_tenants_subscription_is_not_found(api_world: ApiWorld) -> None:
    made = _create(api_world).json
    client = api_world.app.test_client()
    for method in ("get", "delete"):
        response = getattr(client, method)(f"/api/v1/webhooks/{made['id']}",
                                           headers=api_world.headers("other"))
        assert response.status_code == 404 and response.json["code"] == "not_found"
    assert client.get("/api/v1/webhooks", headers=api_world.headers("other")).json == []


def test_receiver_urls_and_event_types_are_checked(api_world: ApiWorld) -> None:
    assert _create(api_world, url="http://hooks.example.com/x").status_code == 422
    assert _create(api_world, url="http://127.0.0.1:9000/x").status_code == 201
    assert _create(api_world, event_types=["person.hired"]).status_code == 422
    assert _create(api_world, event_types=[]).status_code == 422


def test_the_sdk_manages_webhooks(api_world: ApiWorld, live_api: str) -> None:
    client = Client(live_api, api_world.keys["all"], max_retries=0)
    made = client.webhooks.create(URL, ["sync.completed"], "ops")
    assert made.secret and made.event_types == ("sync.completed",)
    assert [s.id for s in client.webhooks.list()] == [made.id]
    assert client.webhooks.update(made.id, active=False).active is False
    assert client.webhooks.deliveries(made.id) == []
    client.webhooks.delete(made.id)
    try:
        Client(live_api, api_world.keys["read"], max_retries=0).webhooks.create(
            URL, ["sync.completed"])
    except PermissionDenied:
        pass
    else:
        raise AssertionError("a read key created a subscription")
