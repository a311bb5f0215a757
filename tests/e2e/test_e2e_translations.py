"""Every page the LMS shows, in Chromium inside the sandbox LMS's iframe, for a course whose
launches say `launch_presentation.locale = de` (and a smoke check in Spanish): German text,
no catalogue English left, `<html lang>` set, axe-core clean."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from lti_tool.sandbox.seed import add_demo_mentor
from lti_tool.usecases.tenant_evidence_settings import change_evidence_settings
from tests.e2e.test_e2e_widgets import open_from_course, serious_violations
from tests.integration.widgets.live_demo import LiveDemo
from tests.support.untranslated import untranslated, visible_text

GERMAN = {"career_path": ["Mein Karriereweg", "Rollen und Wechsel als Liste"],
          "readiness": ["Bereitschaft für die nächste Rolle", "Zeigen Sie, was Sie können"],
          "badges": ["Meine Abzeichen", "Kompetenz-Abzeichen"],
          "mapping": ["Modulzuordnung", "Was CareerPath von diesem Kurs sieht"],
          "class_view": ["Klassenansicht", "Projekte, die auf Prüfung warten", "Beobachtungen",
                         "Kurssynchronisierung"],
          "mentor": ["Personen, die ich begleite", "Ansicht: Mentoring",
                     "Laut Ihrem LMS begleiten Sie diese Person im Mentoring."],
          "mentor form": ["Beobachtete Stufe", "Beobachtetes Verhalten", "Beobachtung erfassen"],
          "mentor off": ["Beobachtungen durch Mentorinnen und Mentoren sind nicht eingeschaltet"]}


def course_locale(demo: LiveDemo, locale: str) -> None:
    state = platform_of(demo.live.sandbox).state
    with state.lock:
        state.course("course-101").locale = locale


def check_page(frame: Any, language: str, phrases: list[str], name: str) -> None:
    html = frame.content()
    assert frame.evaluate("document.documentElement.lang").startswith(language), name
    assert untranslated(html, language) == [], f"English left on the {name} page"
    for phrase in phrases:
        assert phrase in visible_text(html), f"{phrase!r} missing on the {name} page"


def test_german_course_shows_every_page_in_german(demo: LiveDemo, page: Any) -> None:
    course_locale(demo, "de-DE")
    for widget in ("career_path", "readiness", "badges"):
        frame = open_from_course(page, demo, widget)
        check_page(frame, "de", GERMAN[widget], widget)
        serious = serious_violations(frame)
        assert not serious, (widget, serious)
    frame = open_from_course(page, demo, "mapping", "instructor")
    check_page(frame, "de", GERMAN["mapping"], "mapping")
    frame.get_by_role("link", name="Klassenansicht").click()
    frame.locator("#heat-h").wait_for()
    check_page(frame, "de", GERMAN["class_view"], "class view")
    serious = serious_violations(frame)
    assert not serious, serious


def test_german_mentor_pages(tool_app: Flask, demo: LiveDemo, page: Any) -> None:
    """The Mentor's page (not turned on, then its people and the observation form)."""
    course_locale(demo, "de")
    add_demo_mentor(platform_of(demo.live.sandbox))
    frame = open_from_course(page, demo, "readiness", "mentor")
    check_page(frame, "de", GERMAN["mentor off"], "mentor (not turned on)")
    change_evidence_settings(services(tool_app).database, demo.scenario.tenant_id,
                             managers_may_observe=True)
    frame = open_from_course(page, demo, "readiness", "mentor")
    check_page(frame, "de", GERMAN["mentor"], "mentor")
    frame.get_by_role("button", name="Beobachten … Amara Okafor").click()
    frame.locator("#observe-level").wait_for()
    check_page(frame, "de", GERMAN["mentor form"], "mentor form")
    serious = serious_violations(frame)
    assert not serious, serious


@pytest.mark.parametrize("widget", ["readiness"])
def test_spanish_course_smoke(demo: LiveDemo, page: Any, widget: str) -> None:
    course_locale(demo, "es")
    frame = open_from_course(page, demo, widget)
    check_page(frame, "es", ["Preparación para el siguiente rol", "Muestra lo que sabes hacer"],
               widget)
