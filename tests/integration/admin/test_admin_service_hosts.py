"""The admin page of a platform's service hosts: list, add, remove; only the tenant's own."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.usecases.service_hosts import service_hosts
from tests.integration.admin.conftest import OpenLaunch, Tenant, csrf_of


def test_an_admin_lists_and_removes_a_host(tool_app: Flask, client: FlaskClient, alpha: Tenant,
                                           open_launch: OpenLaunch) -> None:
    launch = {"launch": open_launch(alpha)}
    base = f"/admin/platforms/{alpha.registration_id}/hosts"
    assert "Service hosts" in client.get("/admin/platforms", query_string=launch).text
    page = client.get(base, query_string=launch)
    assert page.status_code == 200 and "alpha.lms.example" in page.text
    assert "No host is listed." in page.text
    csrf = csrf_of(page.text)
    added = client.post(base, query_string=launch,
                        data={"csrf": csrf, "host": "School.Instructure.com"})
    assert added.status_code == 303
    database = services(tool_app).database
    assert service_hosts(database, alpha.registration_id) == ["school.instructure.com"]
    bad = client.post(base, query_string=launch, data={"csrf": csrf, "host": "<b>x</b>"})
    assert bad.status_code == 422 and "is not a host name" in bad.text and "<b>x" not in bad.text
    removed = client.post(f"{base}/remove", query_string=launch,
                          data={"csrf": csrf, "host": "school.instructure.com"})
    assert removed.status_code == 303
    assert service_hosts(database, alpha.registration_id) == []


def test_another_tenants_platform_hosts_are_not_found(tool_app: Flask, client: FlaskClient,
                                                      alpha: Tenant, beta: Tenant,
                                                      open_launch: OpenLaunch) -> None:
    launch = {"launch": open_launch(alpha)}
    base = f"/admin/platforms/{beta.registration_id}/hosts"
    assert client.get(base, query_string=launch).status_code == 404
    csrf = csrf_of(client.get("/admin/roles", query_string=launch).text)
    answer = client.post(base, query_string=launch, data={"csrf": csrf, "host": "evil.example"})
    assert answer.status_code == 404
    assert service_hosts(services(tool_app).database, beta.registration_id) == []
