"""Admin pages in the admin launch's language: every page a German or Spanish LMS administrator
opens (with its notices, a refused form and a use case's refusal) leaves no English catalogue
text; the operator's token sign-in has no launch and follows the browser's Accept-Language."""

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
           "duplicate role": ["eine Rolle namens 'Alpha analyst' existiert bereits"],
           "missing framework": ["Nicht gefunden"]},
    "es": {"dashboard": ["Panel", "Administración de CareerPath", "Claves de firma"],
           "platforms": ["Plataformas e implementaciones", "Se registró la plataforma."],
           "mobility": ["Tasa de cobertura interna", "Tabla de datos: tasa de cobertura interna"],
           "refused form": ["No se guardó.", "El campo «name» es obligatorio"],
           "refused period": ["el periodo no es válido", "un mes como AAAA-MM"],
           "duplicate role": ["ya existe un rol llamado 'Alpha analyst'"],
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
    duplicate = client.post("/admin/roles", query_string={"launch": launch},
                            data={"csrf": token, "name": "Alpha analyst", "threshold": "0.8"})
    assert duplicate.status_code == 409  # the use case's Conflict, in the launch's language
    pages["duplicate role"] = duplicate.text
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


SIGN_IN = {"de": ("de-DE,de;q=0.9,en;q=0.4", "CareerPath-Admin-Anmeldung",
                  "Dieses Admin-Token ist nicht richtig.",
                  "Das Formular konnte nicht überprüft werden", "Übersicht"),
           "es": ("es-419,es;q=0.9", "Inicio de sesión de administración de CareerPath",
                  "Ese token de administración no es correcto.",
                  "No se pudo verificar el formulario", "Panel")}


@pytest.mark.parametrize("language", sorted(SIGN_IN))
def test_the_token_sign_in_follows_the_browser_language(client: FlaskClient, alpha: Tenant,
                                                        language: str) -> None:
    """The sign-in form, a wrong token (the use case's refusal), a forged form and the
    operator's dashboard: in the browser's language, no catalogue English left."""
    accept, heading, wrong, forged, dashboard = SIGN_IN[language]
    headers = {"Accept-Language": accept}
    form = client.get("/admin/login", headers=headers)
    refused = client.post("/admin/login", headers=headers,
                          data={"csrf": csrf_of(form.text), "token": "not-the-token"})
    assert refused.status_code == 401
    bad_form = client.post("/admin/login", headers=headers,
                           data={"csrf": "forged", "token": "not-the-token"})
    assert bad_form.status_code == 403
    signed_in = client.post("/admin/login", headers=headers, follow_redirects=True, data={
        "csrf": csrf_of(client.get("/admin/login", headers=headers).text),
        "token": "test-admin-token-9f8e7d6c5b4a"})
    for name, page, phrase in (("form", form.text, heading), ("wrong token", refused.text, wrong),
                               ("forged form", bad_form.text, forged),
                               ("dashboard", signed_in.text, dashboard)):
        assert f'lang="{language}"' in page, name
        assert untranslated(page, language) == [], f"English left on the sign-in {name} page"
        assert phrase in visible_text(page), (name, phrase)
