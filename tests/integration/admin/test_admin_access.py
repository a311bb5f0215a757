"""Who reaches which admin page: admin launches, non-admin launches, tenants, CSRF, headers."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lti_tool.admin import admin_home
from lti_tool.bootstrap import services
from lti_tool.store.models import DeploymentRow, RoleRow
from lti_tool.usecases.launch import launch_session
from tests.integration.admin.conftest import BROWSER_KEY, OpenLaunch, Tenant, csrf_of

PAGES = ("/admin/", "/admin/platforms", "/admin/keys", "/admin/frameworks", "/admin/roles",
         "/admin/api-keys")


def test_an_admin_launch_sees_its_tenant_with_the_launch_on_every_link(
        client: FlaskClient, alpha: Tenant, beta: Tenant, open_launch: OpenLaunch) -> None:
    launch = open_launch(alpha)
    for path in PAGES:
        page = client.get(path, query_string={"launch": launch})
        assert page.status_code == 200, path
        assert f"launch={launch}" in page.text
        assert "frame-ancestors 'self' https://alpha.lms.example" in \
            page.headers["Content-Security-Policy"]
        assert page.headers["Cache-Control"] == "no-store"
    platforms = client.get("/admin/platforms", query_string={"launch": launch}).text
    assert "alpha-client" in platforms and "beta-client" not in platforms
    frameworks = client.get("/admin/frameworks", query_string={"launch": launch}).text
    assert "Alpha skills" in frameworks and "Beta skills" not in frameworks


def test_a_tenant_admin_cannot_pick_another_tenant(
        client: FlaskClient, alpha: Tenant, beta: Tenant, open_launch: OpenLaunch) -> None:
    page = client.get("/admin/roles", query_string={"launch": open_launch(alpha),
                                                    "tenant": beta.id})
    assert "Alpha analyst" in page.text and "Beta analyst" not in page.text


@pytest.mark.parametrize("path", [
    "/admin/frameworks/{framework_id}", "/admin/roles/{role_id}",
    "/admin/platforms/{registration_id}/remove"])
def test_another_tenants_objects_are_not_found(
        client: FlaskClient, alpha: Tenant, beta: Tenant, open_launch: OpenLaunch,
        path: str) -> None:
    answer = client.get(path.format(**vars(beta)), query_string={"launch": open_launch(alpha)})
    assert answer.status_code == 404


def test_another_tenants_objects_cannot_be_changed(
        tool_app: Flask, client: FlaskClient, alpha: Tenant, beta: Tenant,
        open_launch: OpenLaunch) -> None:
    launch = open_launch(alpha)
    csrf = csrf_of(client.get("/admin/roles", query_string={"launch": launch}).text)
    posts = {
        f"/admin/deployments/{beta.deployment_pk}/enabled": {"enabled": "0"},
        f"/admin/platforms/{beta.registration_id}/remove": {},
        f"/admin/api-keys/{beta.api_key_id}/revoke": {},
        f"/admin/frameworks/{beta.framework_id}/competencies": {"code": "X", "name": "X"},
        f"/admin/frameworks/{beta.framework_id}/anchors": {
            "competency_id": beta.competency_id, "level": 1, "text": "t"},
        f"/admin/roles/{beta.role_id}/requirements": {
            "competency_id": beta.competency_id, "required_level": 2, "weight": 1},
        f"/admin/roles/{alpha.role_id}/requirements": {
            "competency_id": beta.competency_id, "required_level": 2, "weight": 1},
        f"/admin/roles/{alpha.role_id}/transitions": {"to_role_id": beta.role_id,
                                                     "kind": "upward"},
    }
    for path, data in posts.items():
        answer = client.post(path, query_string={"launch": launch}, data={"csrf": csrf, **data})
        assert answer.status_code == 404, path
    with services(tool_app).database.session() as session:
        assert session.get(DeploymentRow, beta.deployment_pk).enabled is True
        assert session.scalar(select(RoleRow.name).where(RoleRow.id == beta.role_id))


@pytest.mark.parametrize("view", [1, 2])
def test_learner_and_instructor_launches_are_refused(
        client: FlaskClient, alpha: Tenant, open_launch: OpenLaunch, view: int) -> None:
    launch = open_launch(alpha, view=view)
    for path in PAGES:
        answer = client.get(path, query_string={"launch": launch})
        assert answer.status_code == 403, path
        assert "for LMS administrators" in answer.text


def test_an_expired_launch_asks_for_a_relaunch(client: FlaskClient) -> None:
    answer = client.get("/admin/", query_string={"launch": "gone"})
    assert answer.status_code == 401
    assert "Relaunch the tool from the course" in answer.text


def test_an_admin_launch_lands_on_the_dashboard(tool_app: Flask, alpha: Tenant,
                                                open_launch: OpenLaunch) -> None:
    cache = services(tool_app).cache
    admin_launch = launch_session(cache, open_launch(alpha), BROWSER_KEY)
    learner_launch = launch_session(cache, open_launch(alpha, view=1), BROWSER_KEY)
    with tool_app.test_request_context("/lti/launch"):
        landing = admin_home(admin_launch)
        refused = admin_home(learner_launch)
    assert landing.status_code == 303
    assert landing.headers["Location"] == f"/admin/?launch={admin_launch.launch_id}"
    assert refused.status_code == 403


def test_every_post_needs_the_csrf_token(tool_app: Flask, super_admin: FlaskClient,
                                         alpha: Tenant, open_launch: OpenLaunch) -> None:
    query = {"tenant": alpha.id}
    for data in ({}, {"csrf": "0" * 64}):
        answer = super_admin.post("/admin/roles", query_string=query,
                                  data={"name": "Forged role", "threshold": "80", **data})
        assert answer.status_code == 403
        assert "CSRF" in answer.text
    launch = open_launch(alpha)
    cookie_token = csrf_of(super_admin.get("/admin/", query_string=query).text)
    answer = super_admin.post("/admin/roles", query_string={"launch": launch},
                              data={"csrf": cookie_token, "name": "Forged", "threshold": "80"})
    assert answer.status_code == 403, "a token of another session is refused"
    logout = super_admin.post("/admin/logout")
    assert logout.status_code == 403
    with services(tool_app).database.session() as session:
        assert session.scalar(select(RoleRow).where(RoleRow.name.like("Forged%"))) is None


def test_a_super_admin_without_a_tenant_is_sent_to_the_picker(super_admin: FlaskClient,
                                                              alpha: Tenant) -> None:
    answer = super_admin.get("/admin/frameworks")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/admin/")
    assert super_admin.get("/admin/frameworks", query_string={"tenant": 999}).status_code == 404
    assert super_admin.get("/admin/frameworks", query_string={"tenant": "x"}).status_code == 404
