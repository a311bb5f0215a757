"""AGS: line item filters and paging, results paging, Moodle's score rules."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from tool_side import AGS, bearer, next_link, path_of

from lti_tool.sandbox import DEMO_COURSE, platform_of

LINEITEMS = f"/mod/lti/services.php/{DEMO_COURSE}/lineitems"


@pytest.fixture(autouse=True)
def moodle(app: Flask) -> None:
    """These tests call the sandbox as Moodle answers its own tool."""
    platform_of(app).default_registration.flavour = "moodle"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def learner_id(app: Flask) -> str:
    members = platform_of(app).state.courses[DEMO_COURSE].members.values()
    return next(m.user_id for m in members if m.kind == "learner")


def test_needs_a_bearer_token_with_the_right_scope(
    client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    assert client.get(LINEITEMS).status_code == 401
    assert client.get(LINEITEMS, headers={"Authorization": "Bearer nope"}).status_code == 401
    score_only = bearer(client, tool_key, f"{AGS}/score")
    response = client.get(LINEITEMS, headers=score_only)
    assert response.status_code == 401 and response.json["error"] == "insufficient_scope"
    assert "WWW-Authenticate" in response.headers


def test_list_filters_and_paging(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    auth = bearer(client, tool_key)
    response = client.get(LINEITEMS, headers=auth)
    assert response.mimetype == "application/vnd.ims.lis.v2.lineitemcontainer+json"
    assert response.headers["Content-Type"].endswith("; charset=utf-8")
    assert len(response.json) == 6 and response.json[0]["id"].endswith("?type_id=1")
    assert [i["label"] for i in client.get(f"{LINEITEMS}?tag=quiz", headers=auth).json] == [
        "SQL Fundamentals quiz",
        "Statistics checkpoint",
    ]
    linked = client.get(f"{LINEITEMS}?resource_link_id=link-readiness", headers=auth).json
    assert [i["label"] for i in linked] == ["Career readiness reflection"]
    assert len(client.get(f"{LINEITEMS}?resource_id=daf-4", headers=auth).json) == 1
    seen, url = [], f"{LINEITEMS}?limit=4"
    while url:
        page = client.get(url, headers=auth)
        seen += page.json
        url = next_link(page.headers.get("Link"))
        url = path_of(url) if url else None
    assert len(seen) == 6 and len({i["id"] for i in seen}) == 6


def test_create_update_delete(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    auth = bearer(client, tool_key)
    assert client.post(LINEITEMS, json={"label": "No maximum"}, headers=auth).status_code == 400
    assert client.post(LINEITEMS, json={"scoreMaximum": 10}, headers=auth).status_code == 400
    created = client.post(
        LINEITEMS, json={"label": "Readiness check", "scoreMaximum": 10, "tag": "cp"}, headers=auth
    )
    assert (
        created.status_code == 201
        and created.mimetype == "application/vnd.ims.lis.v2.lineitem+json"
    )
    item_path = path_of(created.json["id"])
    updated = client.put(
        item_path, json={"label": "Readiness check v2", "scoreMaximum": 20}, headers=auth
    )
    assert updated.json["label"] == "Readiness check v2" and updated.json["scoreMaximum"] == 20
    assert client.get(item_path, headers=auth).json["tag"] == "cp"
    assert client.delete(item_path, headers=auth).status_code == 204
    assert client.get(item_path, headers=auth).status_code == 404
    assert "/lineitem?type_id=1" in created.json["id"]


def test_results_paging_and_user_filter(
    app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    auth = bearer(client, tool_key)
    item = client.get(LINEITEMS, headers=auth).json[0]
    base, query = item["id"].split("?")
    url = path_of(f"{base}/results?{query}&limit=3")
    seen = []
    while url:
        page = client.get(url, headers=auth)
        assert page.mimetype == "application/vnd.ims.lis.v2.resultcontainer+json"
        seen += page.json
        link = next_link(page.headers.get("Link"))
        url = path_of(link) if link else None
    stored = platform_of(app).state.courses[DEMO_COURSE].line_items
    assert len(seen) == len(next(iter(stored.values())).results) > 3
    one = client.get(path_of(f"{base}/results?user_id={seen[0]['userId']}"), headers=auth).json
    assert one == [seen[0]]


def test_moodle_score_rules(app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    auth = {**bearer(client, tool_key), "Content-Type": SCORE_TYPE}
    item = client.get(f"{LINEITEMS}?tag=project", headers=auth).json[0]
    base, query = item["id"].split("?")
    scores = path_of(f"{base}/scores?{query}")
    user = learner_id(app)
    score = {
        "userId": user,
        "scoreGiven": 45,
        "scoreMaximum": 50,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": "2026-03-01T10:00:00+00:00",
    }
    naive = path_of(item["id"]) + "/scores"  # appended after ?type_id=1: lands on the line item
    assert client.post(naive, json=score, headers=auth).status_code == 405
    assert client.post(scores, json=score, headers=auth).status_code == 204
    older = {**score, "timestamp": "2026-03-01T09:59:59Z"}
    assert client.post(scores, json=older, headers=auth).status_code == 409
    assert client.post(scores, json=score, headers=auth).status_code == 409  # not strictly later
    for missing in ("userId", "timestamp", "activityProgress", "gradingProgress"):
        body = {k: v for k, v in score.items() if k != missing}
        body["timestamp"] = "2026-03-02T00:00:00Z" if missing != "timestamp" else None
        body = {k: v for k, v in body.items() if v is not None}
        assert client.post(scores, json=body, headers=auth).status_code == 400, missing
    stranger = {**score, "userId": "not-a-member", "timestamp": "2026-03-03T00:00:00Z"}
    assert client.post(scores, json=stranger, headers=auth).status_code == 400
    result = client.get(path_of(f"{base}/results?{query}&user_id={user}"), headers=auth).json[0]
    assert result["resultScore"] == 90.0 and result["resultMaximum"] == 100.0
