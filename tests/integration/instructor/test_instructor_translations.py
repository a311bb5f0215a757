"""Instructor pages in the launch's language: the class view (review queue, observations,
sync history, notices) and the module mapping (a refused rule and column too: the use cases'
refusals) leave no English UI text in German or Spanish."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.observations import record_observation
from lti_tool.usecases.projects import submit_project
from tests.integration.instructor.conftest import Classroom, OpenPage, csrf_of
from tests.integration.widgets.scenario import START
from tests.support.untranslated import untranslated, visible_text

LATER = START + timedelta(days=30)
EXPECTED = {
    "de": ["Klassenansicht", "Projekte, die auf Prüfung warten", "Beobachtungen",
           "1.118 Nachweise aus 65 Ergebnissen (18 aktualisiert); 4 Bewertungsspalten",
           "Kurssynchronisierung", "Seiten für Lehrende", "Beobachtete Stufe"],
    "es": ["Vista de clase", "Proyectos pendientes de revisión", "Observaciones",
           "1.118 evidencias de 65 resultados (18 actualizadas); 4 columnas de calificación",
           "Sincronización del curso", "Páginas para docentes", "Nivel observado"],
}
MAPPING_EXPECTED = {"de": ["Modulzuordnung", "Regel hinzufügen", "Native Kursaktivitäten",
                           "Punktzahl ≥ 80"],
                    "es": ["Asignación de módulos", "Añadir una regla",
                           "Actividades nativas del curso", "puntuación ≥ 80"]}
REFUSED_EXPECTED = {"de": ["Wählen Sie ein Element dieses Kurses.", "Wählen Sie eine Stufe.",
                           "Fügen Sie mindestens eine Bedingung hinzu.",
                           "Bedingung 1: Eine Punktzahl ist ein Prozentwert von 0 bis 100."],
                    "es": ["Elige un elemento de este curso.", "Elige un nivel.",
                           "Añade al menos una condición.",
                           "Condición 1: una puntuación es un porcentaje de 0 a 100."]}
COLUMN_EXPECTED = {"de": "wählen Sie die Art der Aktivität und geben Sie der Spalte einen Namen",
                   "es": "elige el tipo de actividad y ponle un nombre a la columna"}


def fill_class(app: Flask, room: Classroom) -> None:
    """A project waiting for review, an observation by the instructor and a finished sync."""
    db, s = services(app).database, room.scenario
    submit_project(db, s.tenant_id, s.person_id, s.competencies["PD.ANL.VIS"],
                   "https://portfolio.example.org/churn", "Churn dashboard", LATER)
    record_observation(db, s.tenant_id, room.instructor_id, room.learners["ben"],
                       s.competencies["PD.ANL.SQL"], 4, 4, "", LATER, course_id=s.course_id)
    with db.session() as session:
        repo = SyncRepository(session)
        run = repo.start_run(s.course_id, "instructor")
        repo.update_run(run.id, status="succeeded", counts={
            "evidence_created": 1100, "evidence_updated": 18, "results": 65, "line_items": 4})


def staff_pages(client: FlaskClient, room: Classroom, open_page: OpenPage,
                locale: str) -> dict[str, str]:
    s = room.scenario
    pages = {}
    for name, widget, query in (
            ("class view", "class_view", {"sync": "started", "notice": "observed"}),
            ("observation form", "class_view", {"observe": str(room.learners["ben"]),
                                                "competency": s.competencies["PD.ANL.SQL"]}),
            ("mapping", "mapping", {"done": "saved"})):
        launch = open_page(widget, person_id=room.instructor_id, locale=locale)
        response = client.get(f"/widgets/{widget}", query_string={"launch": launch, **query})
        assert response.status_code == 200, name
        pages[name] = response.text
    launch = open_page("mapping", person_id=room.instructor_id, locale=locale)
    page = client.get("/widgets/mapping", query_string={"launch": launch}).text
    csrf = csrf_of(page)
    for name, path, form in (
            ("refused rule", "/widgets/mapping/rules", {"intent": "save", "item": "nope"}),
            ("refused score", "/widgets/mapping/rules", {"intent": "save", "cond_type_1": "score",
                                                         "cond_percent_1": "140"}),
            ("refused column", "/widgets/mapping/columns", {"label": "", "activity": ""})):
        response = client.post(path, data={"launch": launch, "csrf": csrf, **form})
        assert response.status_code == 422, name
        pages[name] = response.text
    return pages


@pytest.mark.parametrize("locale", ["de", "es-ES"])
def test_instructor_pages_leave_no_english_text(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage,
        locale: str) -> None:
    fill_class(tool_app, classroom)
    language = locale[:2]
    pages = staff_pages(client, classroom, open_page, locale)
    for name, page in pages.items():
        assert untranslated(page, language) == [], f"English left on the {name} page"
    class_text = visible_text(pages["class view"]) + visible_text(pages["observation form"])
    for phrase in EXPECTED[language]:
        assert phrase in class_text, phrase
    for phrase in MAPPING_EXPECTED[language]:
        assert phrase in visible_text(pages["mapping"]), phrase
    refusals = visible_text(pages["refused rule"]) + visible_text(pages["refused score"])
    for phrase in REFUSED_EXPECTED[language]:
        assert phrase in refusals, phrase
    assert COLUMN_EXPECTED[language] in visible_text(pages["refused column"])


def test_english_instructor_pages_are_what_the_check_looks_for(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage) -> None:
    fill_class(tool_app, classroom)
    pages = staff_pages(client, classroom, open_page, "en")
    assert "1,118 evidence rows from 65 results (18 updated); 4 line items" in pages["class view"]
    for name, page in pages.items():
        assert len(untranslated(page, "de")) > 5, name


def test_stored_sync_words_outside_the_vocabulary_are_escaped(
        client: FlaskClient, tool_app: Flask, classroom: Classroom, open_page: OpenPage) -> None:
    with services(tool_app).database.session() as session:
        SyncRepository(session).start_run(classroom.scenario.course_id, "<b>hook</b>")
    launch = open_page("class_view", person_id=classroom.instructor_id, locale="de")
    page = client.get("/widgets/class_view", query_string={"launch": launch}).text
    assert "&lt;b&gt;hook&lt;/b&gt;" in page and "<b>hook</b>" not in page
    assert "in der Warteschlange" in page
