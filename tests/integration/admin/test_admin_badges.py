"""The admin Badges page: the tenant's issued badges and revoking one (reason, CSRF, PRG)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from lti_tool.bootstrap import services
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.store.models import CompetencyRow
from lti_tool.store.repositories import EvidenceRepository, PersonRepository
from lti_tool.usecases.badges import badge, issue_due_badges
from tests.integration.admin.conftest import OpenLaunch, Tenant, csrf_of


def _issued(app: Flask, tenant: Tenant, sub: str) -> str:
    database = services(app).database
    with database.session() as session:
        session.execute(update(CompetencyRow).where(CompetencyRow.id == tenant.competency_id)
                        .values(badge_level=2))
        person = PersonRepository(session).upsert_person(tenant.id, sub, name=f"<b>{sub}</b>")
        EvidenceRepository(session).record(tenant.id, Evidence(
            EvidenceKind.CERTIFICATION, str(person.id), datetime.now(UTC), 2.0,
            competency_id=str(tenant.competency_id), source_ref=f"cert-{sub}"))
    [found] = issue_due_badges(database, services(app).settings, tenant.id, person.id,
                               datetime.now(UTC))
    return found.id


def test_admin_lists_and_revokes_a_badge(tool_app: Flask, client: FlaskClient, alpha: Tenant,
                                         beta: Tenant, open_launch: OpenLaunch) -> None:
    ours, theirs = _issued(tool_app, alpha, "ann"), _issued(tool_app, beta, "bob")
    launch = open_launch(alpha)
    page = client.get("/admin/badges", query_string={"launch": launch})
    assert page.status_code == 200 and ">Badges</a>" in page.text
    assert f'id="badge-{ours}"' in page.text and theirs not in page.text
    assert "&lt;b&gt;ann&lt;/b&gt;" in page.text and "<b>ann</b>" not in page.text
    assert page.headers["Cache-Control"] == "no-store"
    path, csrf = f"/admin/badges/{ours}/revoke", csrf_of(page.text)
    forged = client.post(path, query_string={"launch": launch}, data={"reason": "x"})
    assert forged.status_code == 403 and badge(services(tool_app).database, ours).revoked_at \
        is None
    empty = client.post(path, query_string={"launch": launch},
                        data={"csrf": csrf, "reason": "  "})
    assert empty.status_code == 422 and "A reason is required" in empty.text
    assert 'aria-invalid="true"' in empty.text
    other = client.post(f"/admin/badges/{theirs}/revoke", query_string={"launch": launch},
                        data={"csrf": csrf, "reason": "not mine"})
    assert other.status_code == 404
    assert badge(services(tool_app).database, theirs).revoked_at is None
    done = client.post(path, query_string={"launch": launch},
                       data={"csrf": csrf, "reason": "Issued in error"})
    assert done.status_code == 303 and "done=badge-revoked" in done.headers["Location"]
    revoked = badge(services(tool_app).database, ours)
    assert revoked.revoked and revoked.revocation_reason == "Issued in error"
    after = client.get(done.headers["Location"])
    assert "The badge was revoked" in after.text and "Issued in error" in after.text
    public = client.get(f"/badges/{ours}")
    assert "Revoked: Issued in error" in public.text


def test_super_admin_picks_the_tenant(super_admin: FlaskClient, alpha: Tenant,
                                      tool_app: Flask) -> None:
    ours = _issued(tool_app, alpha, "ann")
    assert super_admin.get("/admin/badges").status_code == 303
    page = super_admin.get("/admin/badges", query_string={"tenant": alpha.id})
    assert page.status_code == 200 and f'id="badge-{ours}"' in page.text
