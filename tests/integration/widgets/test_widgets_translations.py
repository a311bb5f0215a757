"""Learner pages in the launch's language: German and Spanish leave no English UI text."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.widgets.conftest import OpenWidget
from tests.integration.widgets.scenario import Scenario
from tests.support.untranslated import untranslated, visible_text

LEARNER_PAGES = ("readiness", "career_path", "badges")
# a few phrases each page must show in the language (the rest is checked by absence of English)
EXPECTED = {
    "de": {"readiness": ["Bereitschaft für die nächste Rolle", "Zeigen Sie, was Sie können",
                         "Meine Daten herunterladen", "Ansicht: Lernende"],
           "career_path": ["Mein Karriereweg", "Meine aktuelle Rolle",
                           "Rollen und Wechsel als Liste"],
           "badges": ["Meine Abzeichen", "Kompetenz-Abzeichen", "Erworbene Abzeichen"]},
    "es": {"readiness": ["Preparación para el siguiente rol", "Muestra lo que sabes hacer",
                         "Descargar mis datos", "Vista: Estudiante"],
           "career_path": ["Mi trayectoria profesional", "Mi rol actual"],
           "badges": ["Mis insignias", "Insignias de competencia", "Insignias obtenidas"]},
}


def pages_in(client: FlaskClient, open_widget: OpenWidget, scenario: Scenario,
             locale: str) -> dict[str, str]:
    """Every page a learner can reach, with the launch's locale: each widget (readiness on a
    role with gaps), the instructor pages refused to a learner, and a launch error page."""
    target = scenario.roles["Senior Data Analyst"]
    pages = {}
    for widget in LEARNER_PAGES:
        extra = {"target_role": target} if widget == "readiness" else {}
        response = client.get(f"/widgets/{widget}", query_string={
            "launch": open_widget(widget, locale=locale, **extra)})
        assert response.status_code == 200, widget
        pages[widget] = response.text
    for staff_page in ("class_view", "mapping"):
        response = client.get(f"/widgets/{staff_page}",
                              query_string={"launch": open_widget(staff_page, locale=locale)})
        assert response.status_code == 403, staff_page
        pages[f"{staff_page} (refused)"] = response.text
    wrong = client.get("/widgets/badges",
                       query_string={"launch": open_widget("readiness", locale=locale)})
    assert wrong.status_code == 404
    pages["launch error"] = wrong.text
    return pages


@pytest.mark.parametrize("locale", ["de", "de-DE", "es", "es_419"])
def test_learner_pages_leave_no_english_text(
        client: FlaskClient, scenario: Scenario, open_widget: OpenWidget, locale: str) -> None:
    language = locale[:2]
    for name, page in pages_in(client, open_widget, scenario, locale).items():
        assert untranslated(page, language) == [], f"English left on the {name} page"
        for phrase in EXPECTED[language].get(name, []):
            assert phrase in visible_text(page), f"{phrase!r} missing on the {name} page"


def test_the_error_page_and_refusals_are_translated(
        client: FlaskClient, scenario: Scenario, open_widget: OpenWidget) -> None:
    pages = pages_in(client, open_widget, scenario, "de")
    error = visible_text(pages["launch error"])
    assert "Dieser Link öffnet dieses CareerPath-Widget nicht." in error
    assert "Was die Administration prüfen sollte:" in error
    assert "Diese Seite ist für Lehrende" in visible_text(pages["class_view (refused)"])


def test_english_stays_the_default_and_the_check_can_fail(
        client: FlaskClient, scenario: Scenario, open_widget: OpenWidget) -> None:
    for locale in ("en", "fr-FR", ""):
        pages = pages_in(client, open_widget, scenario, locale)
        # the English pages are made of the catalogue's phrases: the check finds them
        assert len(untranslated(pages["readiness"], "de")) > 10
        assert "Show what you can do" in visible_text(pages["readiness"])
        assert "Zeigen Sie" not in pages["readiness"]
