"""Scale: 5,000 learners × 40 line items (≈200,000 results) page completely."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from tool_side import bearer, next_link, path_of

from lti_tool.sandbox import SandboxSettings, create_sandbox_app, seed_load


def test_seed_load_is_deterministic() -> None:
    first = create_sandbox_app(SandboxSettings(seed=False))
    second = create_sandbox_app(SandboxSettings(seed=False))
    assert seed_load(first, 300, 5) == seed_load(second, 300, 5)


def test_200k_results_page_completely(
    app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    counts = seed_load(app, 5000, 40, course_id="big")
    assert counts["results"] > 150_000
    auth = bearer(client, tool_key)
    items = client.get("/api/courses/big/lineitems?limit=1000", headers=auth).json
    assert len(items) == 40
    seen = graded = 0
    for item in items:
        url = path_of(f"{item['id']}/results?limit=1000")
        while url:
            page = client.get(url, headers=auth)
            seen += len(page.json)
            graded += sum(1 for r in page.json if "resultScore" in r)
            link = next_link(page.headers.get("Link"))
            url = path_of(link) if link else None
    assert seen == counts["results"] and 0 < graded < seen


def test_bulk_helpers(client: FlaskClient) -> None:
    assert (
        client.post(
            "/_sandbox/courses", json={"id": "c2", "title": "Bulk", "flavour": "canvas"}
        ).status_code
        == 201
    )
    users = client.post("/_sandbox/courses/c2/users", json={"generate": 1000}).json
    assert users["added"] == 1000
    items = client.post("/_sandbox/courses/c2/lineitems", json={"generate": 20}).json["ids"]
    rows = [
        {"line_item_id": i, "user_id": u, "score": 50}
        for i in items
        for u in users["user_ids"][:10]
    ]
    assert (
        client.post("/_sandbox/courses/c2/results", json={"results": rows}).json["updated"] == 200
    )
    loaded = client.post(
        "/_sandbox/load", json={"learners": 50, "line_items": 3, "course_id": "c3"}
    )
    assert loaded.status_code == 201 and loaded.json["learners"] == 50
    assert client.get("/courses/c3").status_code == 200
