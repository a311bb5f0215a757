"""A real launch from the sandbox LMS with `launch_presentation.locale` set: the verified
claim, not a stored session, decides the language of the pages the LMS shows."""

from __future__ import annotations

import pytest

from lti_tool.sandbox import platform_of
from tests.integration.conftest import LiveLti
from tests.support.browser import Browser
from tests.support.untranslated import untranslated, visible_text

PICKER = {"de": ["CareerPath zu", "Zu platzierende Widgets", "Im Kurs platzieren",
                 "Bereitschaft für die nächste Rolle", "Praxisprojekt"],
          "es": ["Añadir CareerPath a", "Widgets que colocar", "Colocar en el curso",
                 "Preparación para el siguiente rol", "Proyecto aplicado"]}
RETURN = {"de": "1 Element wird in Ihrem Kurs platziert",
          "es": "Colocando 1 elemento en tu curso"}
REFUSED = {"de": "Nur der Deep-Linking-Start einer Lehrperson kann Inhalte platzieren.",
           "es": "Solo el inicio de enlace profundo de un docente puede colocar contenido."}


def course_in(live: LiveLti, locale: str) -> None:
    state = platform_of(live.sandbox).state
    with state.lock:
        state.course("course-101").locale = locale


def deep_linking(live: LiveLti, browser: Browser, user: str):  # noqa: ANN201
    frame = browser.get(f"{live.sandbox_url}/courses/course-101/deep_linking/launch?user={user}")
    return browser.submit(browser.submit(browser.frame(frame)))


@pytest.mark.parametrize("locale", ["de-DE", "es"])
def test_the_deep_linking_picker_and_return_follow_the_launch_locale(
        live_lti: LiveLti, browser: Browser, locale: str) -> None:
    language = locale[:2]
    course_in(live_lti, locale)
    picker = deep_linking(live_lti, browser, live_lti.users("instructor")[0])
    assert picker.status_code == 200 and f'<html lang="{language}">' in picker.text
    assert untranslated(picker.text, language) == []
    for phrase in PICKER[language]:
        assert phrase in visible_text(picker.text), phrase
    returned = browser.submit(picker, extra={"widget": "readiness"})
    assert returned.status_code == 200
    assert untranslated(returned.text, language) == []
    assert RETURN[language] in visible_text(returned.text)


@pytest.mark.parametrize("locale", ["de", "es-MX"])
def test_a_refused_launch_explains_itself_in_the_launch_locale(
        live_lti: LiveLti, browser: Browser, locale: str) -> None:
    language = locale[:2]
    course_in(live_lti, locale)
    refused = deep_linking(live_lti, browser, live_lti.users("learner")[0])
    assert refused.status_code == 403 and f'<html lang="{language}">' in refused.text
    assert REFUSED[language] in visible_text(refused.text)
    assert untranslated(refused.text, language) == []


def test_an_english_course_keeps_english_pages(live_lti: LiveLti, browser: Browser) -> None:
    picker = deep_linking(live_lti, browser, live_lti.users("instructor")[0])
    assert "Widgets to place" in picker.text and "Place in course" in picker.text
    assert len(untranslated(picker.text, "de")) > 5
