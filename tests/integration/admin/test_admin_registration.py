"""Admin platforms page: registration links (shown once, into this tenant) and approval."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.store.repositories.invitations import InvitationRepository
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.usecases.invitations import token_hash
from lti_tool.usecases.platforms import PlatformInput, register_platform
from tests.integration.admin.conftest import Tenant

LINK = re.compile(r'id="new-link"[^>]*value="([^"]+)"')


def _pending(app: Flask, slug: str, client_id: str) -> int:
    made = register_platform(services(app).database, PlatformInput(
        issuer=f"https://{slug}.dr.example", client_id=client_id, deployment_ids=[],
        auth_login_url=f"https://{slug}.dr.example/auth",
        auth_token_url=f"https://{slug}.dr.example/token",
        keyset_url=f"https://{slug}.dr.example/jwks", name=f"{slug} by DR", tenant_slug=slug,
        registered_via="dynamic", status="pending", deployment_policy="announced"))
    return made.registration.id


def _status(app: Flask, registration_id: int) -> str:
    with services(app).database.session() as session:
        return LtiRepository(session).registration_by_id(registration_id).status


def test_create_registration_link_shows_it_once_for_this_tenant(
        tool_app: Flask, client: FlaskClient, as_alpha, alpha: Tenant) -> None:  # noqa: ANN001
    made = as_alpha.post("/admin/platforms/invitations", expires_days="3",
                         deployment_ids="dep-a, dep-b")
    assert made.status_code == 303 and "done=invitation-created" in made.headers["Location"]
    assert "/lti/register/" not in made.headers["Location"], "the link never travels in a URL"
    page = as_alpha.follow(made)
    link = LINK.search(page.text).group(1)
    assert link.startswith("http://localhost/lti/register/") and "shown only once" in page.text
    assert "The registration link was created." in page.text
    with services(tool_app).database.session() as session:
        stored = InvitationRepository(session).by_hash(token_hash(link.rsplit("/", 1)[1]))
    assert stored is not None and stored.tenant_id == alpha.id
    assert stored.deployment_ids == ("dep-a", "dep-b") and stored.used_at is None
    assert 2.9 < (stored.expires_at - stored.created_at).total_seconds() / 86400 <= 3
    assert "open" in page.text and "tenant admin Ada Admin" in page.text
    again = as_alpha.follow(made)
    assert link not in again.text
    # the link is good: the registration fails only for want of the LMS's parameters
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 400 and "no openid_configuration URL" in opened.text


def test_registration_link_expiry_is_checked(as_alpha) -> None:  # noqa: ANN001
    for bad in ("0", "91", "soon"):
        refused = as_alpha.post("/admin/platforms/invitations", expires_days=bad)
        assert refused.status_code == 422, bad
        assert 'aria-invalid="true"' in refused.text


def test_approve_button_makes_a_pending_registration_active(
        tool_app: Flask, as_alpha, alpha: Tenant, beta: Tenant) -> None:  # noqa: ANN001
    mine, theirs = _pending(tool_app, "alpha", "dr-alpha"), _pending(tool_app, "beta", "dr-beta")
    page = as_alpha.get("/admin/platforms")
    assert "Waiting for approval" in page.text
    assert f"/admin/platforms/{mine}/approve" in page.text
    assert f"/admin/platforms/{theirs}/approve" not in page.text
    assert as_alpha.post(f"/admin/platforms/{theirs}/approve").status_code == 404
    assert _status(tool_app, theirs) == "pending"
    done = as_alpha.post(f"/admin/platforms/{mine}/approve")
    assert done.status_code == 303 and "done=platform-approved" in done.headers["Location"]
    assert _status(tool_app, mine) == "active"
    after = as_alpha.follow(done)
    assert "approved: its launches are accepted" in after.text
    assert f"/admin/platforms/{mine}/approve" not in after.text
    assert as_alpha.post(f"/admin/platforms/{mine}/approve").status_code == 409
