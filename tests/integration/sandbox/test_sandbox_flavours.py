"""The sandbox as Moodle and Canvas really answer: visibility per tool, ids, paging, headers.

Each expectation names the platform source it copies (see lti_tool/sandbox/flavours.py).
"""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask
from flask.testing import FlaskClient
from tool_side import ALL_SCOPES, bearer, next_link, path_of

from lti_tool.sandbox import DEMO_COURSE, platform_of
from lti_tool.sandbox.model import Registration

PATHS = {
    "moodle": f"/mod/lti/services.php/{DEMO_COURSE}/lineitems",
    "canvas": f"/api/lti/courses/{DEMO_COURSE}/line_items",
    "generic": f"/api/courses/{DEMO_COURSE}/lineitems",
}
NRPS_PATHS = {
    "moodle": f"/mod/lti/services.php/CourseSection/{DEMO_COURSE}/bindings/1/memberships",
    "canvas": f"/api/lti/courses/{DEMO_COURSE}/names_and_roles",
    "generic": f"/api/courses/{DEMO_COURSE}/memberships",
}


def as_flavour(app: Flask, flavour: str) -> None:
    platform_of(app).default_registration.flavour = flavour


def other_tool(app: Flask) -> Registration:
    platform = platform_of(app)
    return platform.state.register(Registration("other-tool", "http://127.0.0.1:5000/lti/login",
                                                "http://127.0.0.1:5000/lti/launch",
                                                "http://127.0.0.1:5000/lti/jwks", [],
                                                deployments=["d-other"]))


def every_page(client: FlaskClient, url: str, auth: dict[str, str]) -> tuple[list, int]:
    seen, requests_made = [], 0
    while url:
        page = client.get(url, headers=auth)
        assert page.status_code == 200, page.get_data(as_text=True)
        requests_made += 1
        seen += page.json if isinstance(page.json, list) else page.json["members"]
        link = next_link(page.headers.get("Link"))
        url = path_of(link) if link else None
    return seen, requests_made


@pytest.mark.parametrize("flavour", ["moodle", "canvas", "generic"])
def test_a_tool_sees_only_its_own_line_items_never_native_ones(
        app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey, flavour: str) -> None:
    as_flavour(app, flavour)
    gradebook, other = platform_of(app).gradebook, other_tool(app)
    theirs = gradebook.create_line_item(DEMO_COURSE, {"label": "Their quiz", "scoreMaximum": 5},
                                        other.client_id)
    quiz = gradebook.create_line_item(DEMO_COURSE, {"label": "Native quiz", "scoreMaximum": 10},
                                      native="quiz")
    auth = bearer(client, tool_key)
    labels = [item["label"] for item in client.get(PATHS[flavour], headers=auth).json]
    assert len(labels) == 6 and "Their quiz" not in labels and "Native quiz" not in labels
    for hidden in (theirs, quiz):
        path = path_of(PATHS[flavour].join(["http://localhost:5001", ""])) + f"/{hidden.id}"
        path += "/lineitem" if flavour == "moodle" else ""
        assert client.get(path, headers=auth).status_code == 403
        assert client.get(f"{path}/results", headers=auth).status_code == 403
    created = client.post(PATHS[flavour], json={"label": "Mine", "scoreMaximum": 3}, headers=auth)
    assert created.status_code == 201
    assert "Mine" in [item["label"] for item in client.get(PATHS[flavour], headers=auth).json]


def test_moodle_ids_headers_and_paging(app: Flask, client: FlaskClient,
                                       tool_key: rsa.RSAPrivateKey) -> None:
    as_flavour(app, "moodle")
    auth = bearer(client, tool_key)
    item = client.get(PATHS["moodle"], headers=auth).json[0]
    # gradebookservices.php item_for_json: .../lineitems/{id}/lineitem?type_id={typeid}
    assert item["id"].endswith("/lineitem?type_id=1") and item["tag"] == "quiz"
    base, query = item["id"].split("?")
    first = client.get(path_of(f"{base}/results?{query}&limit=5"), headers=auth)
    assert first.headers["Content-Type"] == \
        "application/vnd.ims.lis.v2.resultcontainer+json; charset=utf-8"
    raw = first.headers["Link"].encode("iso-8859-1")  # the bytes on the wire
    assert b"; rel=\xe2\x80\x9cnext\xe2\x80\x9d" in raw and b"&amp;limit=5&amp;from=5" in raw
    assert first.json[0]["id"].endswith(f"/lineitem/results?type_id=1&user_id="
                                        f"{first.json[0]['userId']}")
    graded = [r for r in first.json if "resultScore" in r]
    assert graded and all(r["timestamp"] and r["scoreOf"] == item["id"] for r in graded)
    # result_for_json: a grade of 0 (like an ungraded one) carries only id and userId
    stored = platform_of(app).state.course(DEMO_COURSE).line_items[base.split("/")[-2]]
    zero = graded[0]["userId"]
    stored.results[zero].score = 0.0
    again = client.get(path_of(f"{base}/results?{query}&limit=5"), headers=auth).json
    assert next(r for r in again if r["userId"] == zero).keys() == {"id", "userId"}
    results, pages = every_page(client, path_of(f"{base}/results?{query}&limit=5"), auth)
    assert len(results) == len(stored.results) and pages == -(-len(stored.results) // 5)
    everything = client.get(path_of(f"{base}/results?{query}"), headers=auth)
    assert "Link" not in everything.headers and len(everything.json) == len(stored.results)


def test_moodle_nrps_pages_with_from_and_no_differences(
        app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    as_flavour(app, "moodle")
    auth = bearer(client, tool_key, ALL_SCOPES)
    first = client.get(f"{NRPS_PATHS['moodle']}?limit=5", headers=auth)
    assert first.headers["Link"].endswith('/memberships?limit=5&from=5>; rel="next"')
    members, _ = every_page(client, f"{NRPS_PATHS['moodle']}?limit=5", auth)
    assert len(members) == 13
    last = client.get(f"{NRPS_PATHS['moodle']}?limit=5&from=10", headers=auth)
    assert "Link" not in last.headers  # memberships.php writes no differences link


def test_canvas_bookmarks_per_page_cap_and_media_types(
        app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    as_flavour(app, "canvas")
    auth = bearer(client, tool_key)
    item = client.get(PATHS["canvas"], headers=auth).json[0]
    assert "?" not in item["id"] and "/api/lti/courses/" in item["id"]
    first = client.get(path_of(f"{item['id']}/results?limit=4"), headers=auth)
    header = first.headers["Link"]
    assert '; rel="current",<' in header and "page=bookmark:" in header  # lib/api.rb
    bookmark = next_link(header).split("page=bookmark:")[1].split("&")[0]
    assert json.loads(base64.urlsafe_b64decode(bookmark + "==")) == [4]
    assert "timestamp" not in first.json[0]  # results_serializer.rb writes none
    assert first.json[0]["id"] == f"{item['id']}/results/{first.json[0]['userId']}"
    results, _ = every_page(client, path_of(f"{item['id']}/results?limit=4"), auth)
    assert len({r["userId"] for r in results}) == len(results) > 4
    capped = client.get(path_of(f"{item['id']}/results?limit=1000"), headers=auth)
    assert "per_page=100" in capped.headers.get("Link", "per_page=100")
    members = client.get(NRPS_PATHS["canvas"], headers=bearer(client, tool_key, ALL_SCOPES))
    assert members.mimetype == "application/vnd.ims.lis.v2.membershipcontainer+json"
    assert "differences" not in members.headers.get("Link", "")


def test_canvas_throttles_with_403_and_rate_limit_headers(
        app: Flask, client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    as_flavour(app, "canvas")
    auth = bearer(client, tool_key)
    registration = platform_of(app).default_registration
    registration.throttle = {"capacity": 3.0, "refill_per_second": 0.0}
    answers = [client.get(PATHS["canvas"], headers=auth) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 403]
    assert [a.headers["X-Rate-Limit-Remaining"] for a in answers] == ["2.0", "1.0", "0.0", "0.0"]
    assert answers[3].get_data(as_text=True).startswith("403 Forbidden (Rate Limit Exceeded)")


@pytest.mark.parametrize("flavour", ["moodle", "canvas"])
def test_launch_claims_carry_the_flavours_service_urls(
        app: Flask, flavour: str) -> None:
    from lti_tool.sandbox.launch import LaunchIntent, id_token_claims

    as_flavour(app, flavour)
    platform = platform_of(app)
    learner = next(m.user_id for m in platform.state.course(DEMO_COURSE).members.values()
                   if m.kind == "learner")
    with app.app_context():
        claims = id_token_claims(platform, LaunchIntent(
            DEMO_COURSE, "link-readiness", "LtiResourceLinkRequest", learner,
            platform.settings.client_id, platform.settings.deployment_id), "n")
    ags = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    nrps = claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"]
    assert ags["lineitems"] == "http://localhost:5001" + PATHS[flavour] + (
        "?type_id=1" if flavour == "moodle" else "")
    assert nrps["context_memberships_url"] == "http://localhost:5001" + NRPS_PATHS[flavour]
