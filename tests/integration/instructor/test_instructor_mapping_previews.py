"""Rule previews are counted once per version of the catalogue and learner data: a repeated
view reads no learner's evidence, and new evidence or a new rule is seen at the next view."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.store.repositories import EvidenceRepository
from lti_tool.usecases import mapping_preview
from tests.integration.instructor.conftest import Classroom, OpenPage
from tests.integration.instructor.test_instructor_mapping import expected_moves, rules_of
from tests.integration.widgets.scenario import START


@pytest.fixture
def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the previews read every learner's context (the real function runs)."""
    calls: list[int] = []
    real = mapping_preview.course_contexts

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(mapping_preview, "course_contexts", counting)
    return calls


def shown_moves(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-moves="(\d+)">moves', page)]


def test_previews_are_reused_until_the_data_changes(client: FlaskClient, classroom: Classroom,
                                                    open_page: OpenPage,
                                                    counted_reads: list[int]) -> None:
    app, s = client.application, classroom.scenario
    launch = open_page()
    first = client.get("/widgets/mapping", query_string={"launch": launch}).text
    assert len(counted_reads) == 1
    again = client.get("/widgets/mapping", query_string={"launch": launch}).text
    assert len(counted_reads) == 1, "a repeated view recounted the previews"
    assert shown_moves(again) == shown_moves(first)

    workshop = str(s.items["Data modelling workshop"])
    (rule,) = [r for r in rules_of(app, s.course_id) if r.lms_item_id == workshop]
    before = expected_moves(app, classroom, rule)
    with services(app).database.session() as session:  # Ben completes the workshop
        EvidenceRepository(session).record(s.tenant_id, Evidence(
            EvidenceKind.LMS_COMPLETION, str(classroom.learners["ben"]), START, 1.0,
            lms_item_id=workshop, source_ref="ben-workshop"))
    assert expected_moves(app, classroom, rule) == before + 1
    after = client.get("/widgets/mapping", query_string={"launch": launch}).text
    assert len(counted_reads) == 2
    assert f'data-moves="{before + 1}">moves {before + 1} of 4 learners up' in after
    expected = [expected_moves(app, classroom, r) for r in rules_of(app, s.course_id)]
    assert sorted(shown_moves(after)) == sorted(expected)


def test_another_process_change_is_seen_through_the_shared_version(
        client: FlaskClient, classroom: Classroom, open_page: OpenPage,
        counted_reads: list[int]) -> None:
    svc = services(client.application)
    launch = open_page()
    client.get("/widgets/mapping", query_string={"launch": launch})
    svc.cache.incr("learner-data-version", 60)  # what another worker's commit announces
    client.get("/widgets/mapping", query_string={"launch": launch})
    assert len(counted_reads) == 2


def test_the_class_view_is_computed_once_per_data_version(
        client: FlaskClient, classroom: Classroom, open_page: OpenPage,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from lti_tool.usecases import class_view

    calls: list[int] = []
    real = class_view.course_contexts

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(class_view, "course_contexts", counting)
    app, s = client.application, classroom.scenario
    launch = open_page("class_view")

    def rows() -> list[str]:
        page = client.get("/widgets/class_view", query_string={"launch": launch}).text
        return re.findall(r'<th scope="row">([^<]*)</th>', page)

    first = rows()
    assert rows() == first and len(calls) == 1
    client.get("/widgets/class_view.csv", query_string={"launch": launch})
    assert len(calls) == 1, "the CSV of the same data reuses the class"
    with services(app).database.session() as session:  # a new learner joins with evidence
        from lti_tool.store.repositories import CourseRepository, PersonRepository

        person = PersonRepository(session).upsert_person(s.tenant_id, "zoe", name="Zoe Zhang")
        CourseRepository(session).upsert_membership(s.course_id, person.id, "Learner")
    assert "Zoe Zhang" in rows() and len(calls) == 2


def test_each_form_lists_the_other_items_escaped(client: FlaskClient, classroom: Classroom,
                                                 open_page: OpenPage) -> None:
    from lti_tool.store.repositories import CourseRepository

    app, s = client.application, classroom.scenario
    with services(app).database.session() as session:
        odd = CourseRepository(session).upsert_lms_item(s.course_id, "line_item", "li-x",
                                                        title="Quiz <b>&</b>")
    page = client.get("/widgets/mapping", query_string={"launch": open_page()}).text
    selects = dict(re.findall(r'<select id="r(\d+)-item1" name="cond_item_1">(.*?)</select>',
                              page, re.S))
    assert len(selects) == len(s.items) + 1
    for item_id, options in selects.items():
        listed = re.findall(r'<option value="(\d+)">', options)
        assert item_id not in listed and len(listed) == len(selects) - 1
        escaped = "Quiz &lt;b&gt;&amp;&lt;/b&gt;" in options
        assert escaped is (item_id != str(odd.id))
    assert "<b>&</b>" not in page
