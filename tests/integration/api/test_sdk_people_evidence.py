"""The SDK's people's-evidence resources against a live tool."""

from __future__ import annotations

import pytest
from careerpath_sdk import Client, ConflictError, PermissionDenied, ValidationError

from tests.integration.api.conftest import ApiWorld

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


def test_sdk_projects_observations_ratings_and_roles(api_world: ApiWorld, live_api: str) -> None:
    client = Client(live_api, api_world.keys["all"])
    fw = client.frameworks.create("Data", "four_point_rubric", competencies=[
        {"code": "SQL", "name": "SQL", "anchors": [{"level": 2, "text": "writes joins"}]}])
    sql = fw.competency("SQL")
    role = client.roles.create("Analyst", [{"competency_id": sql.id, "required_level": 3}])
    ann = client.people.upsert("ann", name="Ann")
    tess = client.people.upsert("tess", name="Tess")
    course = client.courses.create("ctx-1", title="SQL course")
    client.courses.enrol(course.id, ann.id)
    client.courses.enrol(course.id, tess.id, roles=[INSTRUCTOR])
    widget = Client(live_api, client.widget_tokens.create(ann.id).token)

    with pytest.raises(ValidationError):
        widget.projects.submit(ann.id, sql.id, "ftp://files.example/x")
    sent = widget.projects.submit(ann.id, sql.id, "https://git.example/ann/sql", "Queries")
    assert [p.id for p in client.projects.queue(course.id)] == [sent.id]
    with pytest.raises(PermissionDenied):
        client.projects.accept(sent.id, ann.id, 3)
    back = client.projects.return_(sent.id, tess.id, "Add tests")
    assert (back.state, back.comment) == ("returned", "Add tests")
    again = widget.projects.submit(ann.id, sql.id, "https://git.example/ann/sql2")
    done = client.projects.accept(again.id, tess.id, 3, course_id=course.id)
    assert (done.state, done.level) == ("accepted", 3)
    assert [p.state for p in widget.projects.list(ann.id)] == ["accepted", "returned"]
    assert client.readiness.get(ann.id, role.id).ready

    seen = client.observations.record(ann.id, tess.id, sql.id, 2, anchor_level=2, note="ok")
    assert seen.anchor == "writes joins" and seen.author_id == tess.id
    with pytest.raises(PermissionDenied):
        client.observations.withdraw(seen.id, ann.id)
    client.observations.withdraw(seen.id, tess.id)
    assert client.observations.list(ann.id) == []

    rating = widget.self_ratings.rate(ann.id, sql.id, 4)
    assert (rating.level, rating.evidence_level, rating.gap) == (4, 3.0, 1.0)
    assert client.evidence_settings.get().self_ratings_count is False

    chosen = widget.current_roles.set(ann.id, role.id)
    assert (chosen.role_id, chosen.source) == (role.id, "learner")
    client.hris.push(role_changes=[{"person_id": ann.id, "to_role_id": role.id,
                                    "kind": "promotion", "effective_date": "2026-01-01"}])
    assert client.current_roles.get(ann.id).source == "hris"
    with pytest.raises(ConflictError):
        widget.current_roles.set(ann.id, None)
    client.reporting_lines.add(ann.id, tess.id)
    client.reporting_lines.remove(ann.id, tess.id)
    assert client.evidence_settings.update(managers_may_observe=True).managers_may_observe
