"""The personal-data export is complete and matches its published JSON Schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema

from lti_tool.bootstrap import services
from lti_tool.store.models import PersonRow
from lti_tool.usecases.mentoring import keep_mentees
from lti_tool.usecases.person_export import SCHEMA_ID, SECTIONS
from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import seed

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "person-export.schema.json"


def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_schema_names_every_section_the_export_writes() -> None:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID
    assert set(schema["required"]) == {"$schema", "exported_at", *SECTIONS}
    assert set(schema["properties"]) == set(schema["required"])


def test_export_holds_everything_about_the_person_and_validates(api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    s = seed(client, headers)
    rm, an = s.competency_ids

    def post(path: str, body: dict[str, Any]) -> Any:
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code in (200, 201, 202), response.json
        return response.json

    client.put(f"/api/v1/courses/{s.course_id}/members/{s.person_id}",
               json={"roles": ["Learner"]}, headers=headers)
    assert client.put(f"/api/v1/people/{s.person_id}/goals/{s.role_id}",
                      headers=headers).status_code == 200
    post(f"/people/{s.person_id}/evidence", {"kind": "certification", "competency_id": rm,
                                             "value": 4, "verifier": "Board"})
    post(f"/people/{s.person_id}/evidence", {"kind": "lms_completion", "lms_item_id": s.item_id,
                                             "value": 1})
    post(f"/people/{s.person_id}/evidence", {"kind": "manager_endorsement",
                                             "competency_id": an, "value": 3})
    post("/hris/events", {"role_changes": [{"person_id": s.person_id, "kind": "promotion",
                                            "to_role_id": s.role_id,
                                            "effective_date": "2026-11-01"}]})
    post(f"/people/{s.other_person_id}/evidence", {"kind": "certification",
                                                   "competency_id": rm, "value": 1})

    response = client.get(f"/api/v1/people/{s.person_id}/export", headers=headers)
    assert response.status_code == 200
    found = response.json
    jsonschema.validate(found, _schema(), format_checker=jsonschema.FormatChecker())
    assert found["person"]["sub"] == "ann" and found["person"]["badge_subject"]
    assert [m["course_id"] for m in found["memberships"]] == [s.course_id]
    sources = {e["source"]["type"] for e in found["evidence"]}
    assert sources == {"lms_item", "competency"} and len(found["evidence"]) == 3
    item = next(e for e in found["evidence"] if e["source"]["type"] == "lms_item")
    assert item["source"]["title"] == "Capstone" and item["source"]["course_title"] == "Course"
    assert {lv["competency_id"] for lv in found["levels"]} == {rm, an}
    assert [g["role_id"] for g in found["goals"]] == [s.role_id]
    assert [r["role_id"] for r in found["readiness_states"]] == [s.role_id]
    assert found["readiness_states"][0]["ready"] is True
    assert found["badges"], "the readiness badge should be issued and exported"
    badge = found["badges"][0]
    assert badge["credential"]["credentialSubject"]["id"] == found["person"]["badge_subject"]
    assert badge["credential_jwt"].count(".") == 2
    assert [c["kind"] for c in found["hris_changes"]] == ["promotion"]
    types = {e["type"] for e in found["events"]}
    assert {"evidence.added", "person.ready_for_role", "badge.issued"} <= types
    assert all(e["data"].get("person_id") == s.person_id for e in found["events"])
    assert "bob" not in json.dumps(found)  # nothing about the other person


def test_export_holds_the_persons_projects_observations_ratings_and_managers(
        api_world: ApiWorld) -> None:
    client, headers = api_world.app.test_client(), api_world.headers("all")
    s = seed(client, headers)
    rm = s.competency_ids[0]

    def call(method: str, path: str, body: Any = None) -> Any:
        response = client.open(f"/api/v1{path}", method=method, json=body, headers=headers)
        assert response.status_code in (200, 201, 204), response.get_data(as_text=True)
        return response.get_json(silent=True)

    teacher = call("POST", "/people", {"sub": "tess", "name": "Tess"})["id"]
    call("PUT", f"/courses/{s.course_id}/members/{s.person_id}", {"roles": ["Learner"]})
    call("PUT", f"/courses/{s.course_id}/members/{teacher}",
         {"roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]})
    sent = call("POST", f"/people/{s.person_id}/projects",
                {"competency_id": rm, "url": "https://ann.example/roadmap", "title": "Roadmap"})
    call("POST", f"/projects/{sent['id']}/return", {"reviewer_id": teacher, "comment": "More"})
    seen = call("POST", f"/people/{s.person_id}/observations",
                {"author_id": teacher, "competency_id": rm, "level": 2, "note": "good"})
    call("POST", f"/observations/{seen['id']}/withdraw", {"author_id": teacher})
    call("PUT", f"/people/{s.person_id}/self-ratings/{rm}", {"level": 3})
    call("PUT", f"/people/{s.person_id}/managers/{teacher}")
    database = services(api_world.app).database
    with database.read_session() as session:
        tenant = session.get(PersonRow, s.person_id).tenant_id  # type: ignore[union-attr]
    keep_mentees(database, tenant, s.course_id, teacher, ["ann", "not-yet-seen"],
                 datetime.now(UTC))

    found = client.get(f"/api/v1/people/{s.person_id}/export", headers=headers).json
    jsonschema.validate(found, _schema(), format_checker=jsonschema.FormatChecker())
    assert [(p["title"], p["state"], p["comment"]) for p in found["project_submissions"]] == [
        ("Roadmap", "returned", "More")]
    assert [(o["note"], o["withdrawn_at"] is not None) for o in found["observations"]] == [
        ("good", True)]
    assert [(r["competency_id"], r["level"]) for r in found["self_ratings"]] == [(rm, 3)]
    assert found["reporting_lines"][0]["manager_id"] == teacher
    assert [(m["mentor_id"], m["mentee_id"], m["mentee_sub"]) for m in found["mentor_links"]] \
        == [(teacher, s.person_id, "ann")]
    mentor = client.get(f"/api/v1/people/{teacher}/export", headers=headers).json
    assert {m["mentee_sub"] for m in mentor["mentor_links"]} == {"ann", "not-yet-seen"}
    other = client.get(f"/api/v1/people/{s.other_person_id}/export", headers=headers).json
    assert other["project_submissions"] == other["observations"] == other["self_ratings"] == []
