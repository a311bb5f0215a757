"""Admin pages in the admin launch's language: every page a German or Spanish LMS administrator
opens (with its notices and a refused form) leaves no English catalogue text; the operator's
token sign-in has no launch and stays English."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.admin.conftest import OpenLaunch, Tenant, csrf_of
from tests.support.untranslated import untranslated, visible_text

EXPECTED = {
    "de": {"dashboard": ["Übersicht", "CareerPath-Verwaltung", "Signaturschlüssel"],
           "platforms": ["Plattformen und Deployments", "Die Plattform wurde registriert."],
           "mobility": ["Interne Besetzungsquote", "Datentabelle: interne Besetzungsquote"],
           "refused form": ["Dies wurde nicht gespeichert.", "Das Feld „name“ ist erforderlich"],
           "refused period": ["der Zeitraum ist ungültig", "ein Monat als JJJJ-MM"],
           "missing framework": ["Nicht gefunden"]},
    "es": {"dashboard": ["Panel", "Administración de CareerPath", "Claves de firma"],
           "platforms": ["Plataformas e implementaciones", "Se registró la plataforma."],
           "mobility": ["Tasa de cobertura interna", "Tabla de datos: tasa de cobertura interna"],
           "refused form": ["No se guardó.", "El campo «name» es obligatorio"],
           "refused period": ["el periodo no es válido", "un mes como AAAA-MM"],
           "missing framework": ["No encontrado"]},
}


def admin_pages(client: FlaskClient, launch: str, tenant: Tenant) -> dict[str, str]:
    """Every admin page of the launch's tenant (GET), a refused form and period (422) and a
    missing object (404)."""
    pages = {}
    for name, path, query in (
            ("dashboard", "/admin/", {}),
            ("platforms", "/admin/platforms", {"done": "platform-added"}),
            ("keys", "/admin/keys", {"done": "key-rotated"}),
            ("frameworks", "/admin/frameworks", {"done": "framework-created"}),
            ("framework", f"/admin/frameworks/{tenant.framework_id}", {"done": "anchor-saved"}),
            ("roles", "/admin/roles", {"done": "role-created"}),
            ("role", f"/admin/roles/{tenant.role_id}", {"done": "requirement-saved"}),
            ("api keys", "/admin/api-keys", {"done": "api-key-created"}),
            ("badges", "/admin/badges", {"done": "badge-revoked"}),
            ("mobility", "/admin/mobility", {}),
            ("remove", f"/admin/platforms/{tenant.registration_id}/remove", {}),
            ("hosts", f"/admin/platforms/{tenant.registration_id}/hosts", {})):
        response = client.get(path, query_string={"launch": launch, **query})
        assert response.status_code == 200, name
        pages[name] = response.text
    token = csrf_of(pages["roles"])
    refused = client.post("/admin/roles", query_string={"launch": launch},
                          data={"csrf": token, "name": ""})
    assert refused.status_code == 422
    pages["refused form"] = refused.text
    for name, path, query, status in (
            ("refused period", "/admin/mobility", {"from": "2025-13"}, 422),
            ("missing framework", "/admin/frameworks/999999", {}, 404)):
        response = client.get(path, query_string={"launch": launch, **query})
        assert response.status_code == status, name
        pages[name] = response.text
    return pages


@pytest.mark.parametrize("locale", ["de-DE", "es"])
def test_admin_pages_leave_no_english_text(client: FlaskClient, alpha: Tenant,
                                           open_launch: OpenLaunch, locale: str) -> None:
    language = locale[:2]
    pages = admin_pages(client, open_launch(alpha, locale=locale), alpha)
    for name, page in pages.items():
        assert f'lang="{language}"' in page, name
        assert untranslated(page, language) == [], f"English left on the admin {name} page"
    for name, phrases in EXPECTED[language].items():
        for phrase in phrases:
            assert phrase in visible_text(pages[name]), phrase


def test_an_english_admin_launch_and_the_token_sign_in_stay_english(
        client: FlaskClient, alpha: Tenant, open_launch: OpenLaunch) -> None:
    page = client.get("/admin/", query_string={"launch": open_launch(alpha, locale="fr-FR")})
    assert "Dashboard" in visible_text(page.text) and 'lang="en"' in page.text
    form = client.get("/admin/login")
    signed_in = client.post("/admin/login", data={"csrf": csrf_of(form.text),
                                                  "token": "test-admin-token-9f8e7d6c5b4a"},
                            follow_redirects=True)
    assert "Signing keys" in visible_text(signed_in.text)
    assert "Signaturschlüssel" not in signed_in.text and 'lang="en"' in signed_in.text
