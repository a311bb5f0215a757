"""NRPS: paging with an odd-case rel and case-sensitive cursors, filters, differences."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from tool_side import NRPS, bearer, next_link, path_of

from lti_tool.sandbox import DEMO_COURSE

MEMBERSHIPS = f"/api/courses/{DEMO_COURSE}/memberships"
MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


def all_members(client: FlaskClient, url: str, auth: dict[str, str]) -> tuple[list[dict], str]:
    """Follow rel=next pages; return the members and the differences URL."""
    members: list[dict] = []
    while True:
        page = client.get(url, headers=auth)
        assert page.status_code == 200 and page.mimetype == MEDIA_TYPE
        members += page.json["members"]
        link = next_link(page.headers["Link"])
        if link is None:
            return members, next_link(page.headers["Link"], "differences")
        url = path_of(link)


def test_paging_with_odd_case_rel(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    auth = bearer(client, tool_key, NRPS)
    first = client.get(f"{MEMBERSHIPS}?limit=5", headers=auth)
    assert 'rel="Next"' in first.headers["Link"] and first.json["context"]["id"] == DEMO_COURSE
    lowered = path_of(next_link(first.headers["Link"]).lower())
    assert client.get(lowered, headers=auth).status_code == 400  # a client that lower-cases breaks
    members, differences = all_members(client, f"{MEMBERSHIPS}?limit=5", auth)
    assert len(members) == 13 and differences  # 12 learners + instructor; admin is not enrolled
    assert {"user_id", "roles", "status", "name", "given_name", "family_name", "email"} <= set(
        members[0]
    )


def test_role_and_rlid_filters(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    auth = bearer(client, tool_key, NRPS)
    learners, _ = all_members(client, f"{MEMBERSHIPS}?role=Learner", auth)
    assert len(learners) == 12
    uri = "http://purl.imsglobal.org/vocab/lis/v2/membership%23Instructor"
    instructors, _ = all_members(client, f"{MEMBERSHIPS}?role={uri}", auth)
    assert [m["name"] for m in instructors] == ["Grace Whitfield"]
    linked, _ = all_members(client, f"{MEMBERSHIPS}?rlid=link-readiness", auth)
    assert len(linked) == 13
    assert client.get(f"{MEMBERSHIPS}?rlid=nope", headers=auth).status_code == 404


def test_differences_returns_only_changed_members(
    client: FlaskClient, tool_key: rsa.RSAPrivateKey
) -> None:
    auth = bearer(client, tool_key, NRPS)
    members, differences = all_members(client, MEMBERSHIPS, auth)
    changed = members[2]["user_id"]
    response = client.post(
        f"/_sandbox/courses/{DEMO_COURSE}/memberships/{changed}", json={"status": "Deleted"}
    )
    assert response.status_code == 200
    delta, later = all_members(client, path_of(differences), auth)
    assert [(m["user_id"], m["status"]) for m in delta] == [(changed, "Deleted")]
    assert all_members(client, path_of(later), auth)[0] == []
    current, _ = all_members(client, MEMBERSHIPS, auth)
    assert changed not in {m["user_id"] for m in current}
