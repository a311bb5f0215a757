"""The platforms page sets up a registration's LMS API connector (secrets encrypted), only
for the admin's own tenant."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.sealing import unseal
from lti_tool.store.models import LmsConnectorRow
from tests.integration.admin.conftest import Tenant


def test_connect_a_registration_then_remove(tool_app: Flask, as_alpha,  # noqa: ANN001
                                            alpha: Tenant, beta: Tenant) -> None:
    path = f"/admin/platforms/{alpha.registration_id}/connector"
    missing = as_alpha.post(path, platform="moodle", base_url="https://moodle.alpha.example")
    assert missing.status_code == 422 and "web-service token" in missing.text
    done = as_alpha.post(path, platform="moodle", base_url="https://moodle.alpha.example",
                         token="ws-token-1")
    assert done.status_code == 303 and "done=connector-saved" in done.headers["Location"]
    page = as_alpha.get("/admin/platforms", done="connector-saved").text
    assert "The LMS API connector was saved." in page
    assert 'data-connector="moodle"' in page and "ws-token-1" not in page
    with services(tool_app).database.session() as session:
        row = session.scalars(select(LmsConnectorRow)).one()
        assert row.registration_id == alpha.registration_id
        secret = services(tool_app).settings.secret_key
        assert unseal(row.secret_encrypted, secret) == b"ws-token-1"
    other = as_alpha.post(f"/admin/platforms/{beta.registration_id}/connector",
                          platform="moodle", base_url="https://moodle.beta.example",
                          token="x")
    assert other.status_code == 404  # another tenant's registration
    assert as_alpha.post(f"{path}/remove").status_code == 303
    with services(tool_app).database.session() as session:
        assert session.scalars(select(LmsConnectorRow)).all() == []
