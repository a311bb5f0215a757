"""Each admin page's create, edit and delete flows, checked in the database; escaping."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lti_tool.bootstrap import services
from lti_tool.store.models import (
    ApiKeyRow,
    BehaviouralAnchorRow,
    CompetencyRow,
    DeploymentRow,
    FrameworkRow,
    PlatformRegistrationRow,
    RoleRow,
    ToolKeyRow,
)
from lti_tool.usecases import catalogue
from lti_tool.usecases.api_keys import authenticate
from tests.integration.admin.conftest import Tenant, csrf_of

XSS = '<script>alert("x")</script>'


def test_register_a_platform_then_disable_and_remove_it(tool_app: Flask, as_alpha,  # noqa: ANN001
                                                         alpha: Tenant) -> None:
    fields = {"issuer": "https://moodle.alpha.example", "client_id": "moodle-1",
              "deployment_ids": "1, 2", "auth_login_url": "https://moodle.alpha.example/auth",
              "auth_token_url": "https://moodle.alpha.example/token",
              "keyset_url": "https://moodle.alpha.example/jwks", "name": "Moodle"}
    bad = as_alpha.post("/admin/platforms", **{**fields, "keyset_url": "http://evil.example/k"})
    assert bad.status_code == 422
    assert "keyset_url must use https" in bad.text and 'aria-invalid="true"' in bad.text
    assert 'value="moodle-1"' in bad.text, "the form keeps what was typed"
    done = as_alpha.post("/admin/platforms", **fields)
    assert done.status_code == 303 and "done=platform-added" in done.headers["Location"]
    assert "The platform was registered." in as_alpha.get("/admin/platforms",
                                                          done="platform-added").text
    twice = as_alpha.post("/admin/platforms", **fields)
    assert twice.status_code == 409 and "already registered" in twice.text
    database = services(tool_app).database
    with database.session() as session:
        made = session.scalar(select(PlatformRegistrationRow).where(
            PlatformRegistrationRow.client_id == "moodle-1"))
        assert made is not None and made.tenant_id == alpha.id
        deployments = session.scalars(select(DeploymentRow).where(
            DeploymentRow.registration_id == made.id)).all()
        assert sorted(d.deployment_id for d in deployments) == ["1", "2"]
    first = min(d.id for d in deployments)
    assert as_alpha.post(f"/admin/deployments/{first}/enabled", enabled="0").status_code == 303
    with database.session() as session:
        assert session.get(DeploymentRow, first).enabled is False
    confirm = as_alpha.get(f"/admin/platforms/{made.id}/remove")
    assert "Yes, remove the registration" in confirm.text
    assert as_alpha.post(f"/admin/platforms/{made.id}/remove").status_code == 303
    with database.session() as session:
        assert session.get(PlatformRegistrationRow, made.id) is None


def test_super_admin_rotates_a_key_and_jwks_publishes_both(
        tool_app: Flask, super_admin: FlaskClient, alpha: Tenant) -> None:
    before = {k["kid"] for k in super_admin.get("/lti/jwks").json["keys"]}
    page = super_admin.get("/admin/keys")
    assert "/lti/jwks" in page.text and "Rotate now" in page.text
    bad = super_admin.post("/admin/keys/rotate",
                           data={"csrf": csrf_of(page.text), "retire_after_days": "-1"})
    assert bad.status_code == 422 and "between 0 and 365" in bad.text
    done = super_admin.post("/admin/keys/rotate",
                            data={"csrf": csrf_of(page.text), "retire_after_days": "3"})
    assert done.status_code == 303
    new_kid = re.search(r"kid=([^&]+)", done.headers["Location"]).group(1)
    published = {k["kid"] for k in super_admin.get("/lti/jwks").json["keys"]}
    assert published == before | {new_kid}
    listed = super_admin.get(done.headers["Location"]).text
    assert new_kid in listed and "published" in listed and "active" in listed
    with services(tool_app).database.session() as session:
        assert session.get(ToolKeyRow, new_kid).status == "active"


def test_a_tenant_admin_sees_keys_but_cannot_rotate(as_alpha) -> None:  # noqa: ANN001
    page = as_alpha.get("/admin/keys")
    assert page.status_code == 200 and "Rotate now" not in page.text
    assert as_alpha.post("/admin/keys/rotate", retire_after_days="7").status_code == 403


def test_framework_competencies_and_anchors(tool_app: Flask, as_alpha,  # noqa: ANN001
                                            alpha: Tenant) -> None:
    missing = as_alpha.post("/admin/frameworks", name="", scale_key="four_point_rubric",
                            calculation_method="highest")
    assert missing.status_code == 422 and "name is required" in missing.text
    wrong = as_alpha.post("/admin/frameworks", name="Data", scale_key="four_point_rubric",
                          calculation_method="n_mastery", calculation_parameter="0")
    assert wrong.status_code == 422 and "n_mastery needs a whole number" in wrong.text
    made = as_alpha.post("/admin/frameworks", name="Data", scale_key="four_point_rubric",
                         calculation_method="n_mastery", calculation_parameter="3")
    assert made.status_code == 303
    framework_id = int(re.search(r"/frameworks/(\d+)", made.headers["Location"]).group(1))
    base = f"/admin/frameworks/{framework_id}"
    assert as_alpha.post(f"{base}/competencies", code="AN", name="Analytics").status_code == 303
    database = services(tool_app).database
    with database.session() as session:
        parent = session.scalar(select(CompetencyRow).where(CompetencyRow.code == "AN",
                                CompetencyRow.framework_id == framework_id))
    child = as_alpha.post(f"{base}/competencies", code="AN.SQL", name="SQL",
                          parent_id=parent.id, badge_level="3", description="Queries")
    assert child.status_code == 303
    assert as_alpha.post(f"{base}/competencies", code="AN", name="Again").status_code == 409
    off_scale = as_alpha.post(f"{base}/competencies", code="X", name="X", badge_level="9")
    assert off_scale.status_code == 422
    with database.session() as session:
        sql = session.scalar(select(CompetencyRow).where(CompetencyRow.code == "AN.SQL"))
        assert (sql.parent_id, sql.badge_level) == (parent.id, 3)
        assert session.get(FrameworkRow, framework_id).calculation_method == "n_mastery(3)"
    saved = as_alpha.post(f"{base}/anchors", competency_id=sql.id, level=2,
                          text="Writes joins unaided")
    assert saved.status_code == 303
    assert as_alpha.post(f"{base}/anchors", competency_id=sql.id, level=7,
                         text="x").status_code == 422
    with database.session() as session:
        anchor = session.scalar(select(BehaviouralAnchorRow).where(
            BehaviouralAnchorRow.competency_id == sql.id))
        assert (anchor.level, anchor.text) == (2, "Writes joins unaided")
    page = as_alpha.get(base).text
    assert "Writes joins unaided" in page and "badge at level 3" in page


def test_roles_requirements_and_transitions(tool_app: Flask, as_alpha,  # noqa: ANN001
                                            alpha: Tenant) -> None:
    assert as_alpha.post("/admin/roles", name="Lead", threshold="150").status_code == 422
    made = as_alpha.post("/admin/roles", name="Lead", threshold="75", family="Data")
    assert made.status_code == 303
    role_id = int(re.search(r"/roles/(\d+)", made.headers["Location"]).group(1))
    base = f"/admin/roles/{role_id}"
    gate = as_alpha.post(f"{base}/requirements", competency_id=alpha.competency_id,
                         required_level="2", weight="25", minimum_level="3")
    assert gate.status_code == 422 and "at most the required level" in gate.text
    assert as_alpha.post(f"{base}/requirements", competency_id=alpha.competency_id,
                         required_level="3", weight="25", minimum_level="2").status_code == 303
    assert as_alpha.post(f"{base}/transitions", to_role_id=alpha.role_id,
                         kind="lateral").status_code == 303
    assert as_alpha.post(f"{base}/transitions", to_role_id=role_id,
                         kind="upward").status_code == 422
    detail = catalogue.get_role(services(tool_app).database, alpha.id, role_id)
    assert detail.role.threshold == 0.75 and detail.role.family == "Data"
    requirement = detail.role.requirements[0]
    assert (requirement.required_level, requirement.weight, requirement.minimum_level) == \
        (3, 25, 2)
    assert [(t.to_role_id, str(t.kind)) for t in detail.transitions] == \
        [(str(alpha.role_id), "lateral")]
    dropped = as_alpha.post(f"{base}/requirements/{alpha.competency_id}/remove")
    assert dropped.status_code == 303
    assert catalogue.get_role(services(tool_app).database, alpha.id,
                              role_id).role.requirements == ()


def test_api_key_is_shown_once_then_revoked(tool_app: Flask, as_alpha,  # noqa: ANN001
                                            alpha: Tenant) -> None:
    assert as_alpha.post("/admin/api-keys", name="HRIS").status_code == 422
    made = as_alpha.post("/admin/api-keys", name="HRIS", scopes=["read", "write"])
    assert made.status_code == 303
    assert "cp_" not in made.headers["Location"], "the secret never travels in a URL"
    page = as_alpha.get(made.headers["Location"].split("?", 1)[0],
                        **dict(p.split("=") for p in made.headers["Location"].split("?")[1]
                               .split("&") if not p.startswith("launch=")))
    token = re.search(r'value="(cp_[^"]+)"', page.text).group(1)
    assert "shown only once" in page.text
    principal = authenticate(services(tool_app).database, token)
    assert principal.tenant_id == alpha.id and principal.scopes == {"read", "write"}
    again = as_alpha.get(made.headers["Location"].split("?", 1)[0])
    assert token not in again.text
    assert as_alpha.post(f"/admin/api-keys/{principal.key_id}/revoke").status_code == 303
    with services(tool_app).database.session() as session:
        assert session.get(ApiKeyRow, principal.key_id).revoked_at is not None


def test_hostile_names_are_escaped(tool_app: Flask, as_alpha, alpha: Tenant) -> None:  # noqa: ANN001
    assert as_alpha.post("/admin/roles", name=XSS, threshold="80",
                         family=XSS).status_code == 303
    assert as_alpha.post("/admin/frameworks", name=XSS, scale_key="four_point_rubric",
                         calculation_method="highest").status_code == 303
    bad = as_alpha.post("/admin/api-keys", name=XSS)
    for page in (as_alpha.get("/admin/roles"), as_alpha.get("/admin/frameworks"), bad):
        assert XSS not in page.text
        assert "&lt;script&gt;" in page.text
    with services(tool_app).database.session() as session:
        assert session.scalar(select(RoleRow).where(RoleRow.name == XSS)) is not None
