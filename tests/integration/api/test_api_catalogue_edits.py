"""Competency update and delete/archive, rule update, scale create, transition delete and
evidence delete by its author, through the REST API."""

from __future__ import annotations

from typing import Any

from tests.integration.api.conftest import ApiWorld
from tests.integration.api.seed import seed

V1 = "/api/v1"


def _call(world: ApiWorld, method: str, path: str, key: str = "all", **kwargs: Any) -> Any:
    response = world.app.test_client().open(V1 + path, method=method,
                                            headers=world.headers(key), **kwargs)
    return response


def test_competency_update_changes_fields_anchors_parent_and_badge_level(
        api_world: ApiWorld) -> None:
    s = seed(api_world.app.test_client(), api_world.headers("all"))
    rm, an = s.competency_ids
    path = f"/frameworks/{s.framework_id}/competencies/{an}"
    changed = _call(api_world, "PATCH", path, json={
        "name": "Data analytics", "parent_id": rm, "badge_level": 3,
        "anchors": [{"level": 2, "text": "Builds a dashboard"}]})
    assert changed.status_code == 200, changed.json
    found = next(c for c in changed.json["competencies"] if c["id"] == an)
    assert (found["name"], found["parent_id"], found["badge_level"]) == (
        "Data analytics", rm, 3)
    assert found["anchors"] == [{"level": 2, "text": "Builds a dashboard"}]
    assert found["description"] == ""  # not given: kept
    cleared = _call(api_world, "PATCH", path, json={"badge_level": None, "parent_id": None})
    found = next(c for c in cleared.json["competencies"] if c["id"] == an)
    assert (found["badge_level"], found["parent_id"], found["name"]) == (
        None, None, "Data analytics")
    assert found["anchors"] == [{"level": 2, "text": "Builds a dashboard"}]
    for body, field in (({"badge_level": 9}, "badge_level"),
                        ({"anchors": [{"level": 7, "text": "x"}]}, "anchors")):
        refused = _call(api_world, "PATCH", path, json=body)
        assert refused.status_code == 422 and field in refused.json["errors"], refused.json
    _call(api_world, "PATCH", path, json={"parent_id": rm})
    cycle = _call(api_world, "PATCH", f"/frameworks/{s.framework_id}/competencies/{rm}",
                  json={"parent_id": an})
    assert cycle.status_code == 422 and "parent_id" in cycle.json["errors"]
    unknown = _call(api_world, "PATCH", path, json={"colour": "red"})
    assert unknown.status_code == 422


def test_competency_in_use_is_refused_then_archived_with_force(api_world: ApiWorld) -> None:
    s = seed(api_world.app.test_client(), api_world.headers("all"))
    rm, an = s.competency_ids
    evidence = _call(api_world, "POST", f"/people/{s.person_id}/evidence",
                     json={"kind": "certification", "competency_id": rm, "value": 4})
    assert evidence.status_code == 201
    path = f"/frameworks/{s.framework_id}/competencies/{rm}"
    refused = _call(api_world, "DELETE", path)
    assert refused.status_code == 409 and "force=true" in refused.json["message"]
    archived = _call(api_world, "DELETE", path, query_string={"force": "true"})
    assert archived.status_code == 200 and archived.json == {"id": rm, "outcome": "archived"}
    framework = _call(api_world, "GET", f"/frameworks/{s.framework_id}").json
    assert [c["id"] for c in framework["competencies"]] == [an]
    assert _call(api_world, "GET", f"/courses/{s.course_id}/rules").json == []
    role = _call(api_world, "GET", f"/roles/{s.role_id}").json
    assert [r["competency_id"] for r in role["requirements"]] == [an]
    kept = _call(api_world, "GET", f"/people/{s.person_id}/evidence").json
    assert [e["competency_id"] for e in kept] == [rm]  # evidence kept
    readiness = _call(api_world, "GET", f"/people/{s.person_id}/readiness/{s.role_id}").json
    assert {g["competency_id"] for g in readiness["gaps"]} == {an}
    assert _call(api_world, "DELETE", path).status_code == 404  # archived: gone
    late = _call(api_world, "POST", f"/people/{s.person_id}/evidence",
                 json={"kind": "certification", "competency_id": rm, "value": 4})
    assert late.status_code == 404  # no new evidence against an archived competency
    unused = _call(api_world, "DELETE", f"/frameworks/{s.framework_id}/competencies/{an}")
    assert unused.status_code == 200 and unused.json["outcome"] == "deleted"


def test_rule_update_replaces_the_rule(api_world: ApiWorld) -> None:
    s = seed(api_world.app.test_client(), api_world.headers("all"))
    rule = _call(api_world, "GET", f"/courses/{s.course_id}/rules").json[0]
    body = {"lms_item_id": s.item_id, "competency_id": s.competency_ids[1], "level": 2,
            "condition": {"type": "score_at_least", "percent": 80}}
    updated = _call(api_world, "PUT", f"/courses/{s.course_id}/rules/{rule['id']}", json=body)
    assert updated.status_code == 200, updated.json
    assert updated.json == {"id": rule["id"], **body}
    again = _call(api_world, "GET", f"/courses/{s.course_id}/rules/{rule['id']}").json
    assert again == updated.json
    bad = _call(api_world, "PUT", f"/courses/{s.course_id}/rules/{rule['id']}",
                json={**body, "condition": {"type": "nonsense"}})
    assert bad.status_code == 422 and "condition" in bad.json["errors"]
    foreign = _call(api_world, "PUT", f"/courses/{s.course_id}/rules/{rule['id']}", "other",
                    json=body)
    assert foreign.status_code == 404


def test_scale_create_validates_the_mastery_point_and_serves_frameworks(
        api_world: ApiWorld) -> None:
    levels = [{"value": 1, "label": "Foundation"},
              {"value": 2, "label": "Practitioner", "mastery": True},
              {"value": 3, "label": "Advanced"}]
    made = _call(api_world, "POST", "/scales", json={"key": "fpa", "name": "F/P/A",
                                                     "levels": levels})
    assert made.status_code == 201, made.json
    assert [(lv["value"], lv["proficient"]) for lv in made.json["levels"]] == [
        (1, False), (2, True), (3, True)]
    assert _call(api_world, "GET", "/scales/fpa").json == made.json
    assert _call(api_world, "GET", "/scales/fpa", "other").status_code == 404
    fw = _call(api_world, "POST", "/frameworks", json={"name": "Own", "scale_key": "fpa"})
    assert fw.status_code == 201 and fw.json["scale"]["key"] == "fpa"
    for wrong in ([{**lv, "mastery": False} for lv in levels],
                  [{**lv, "mastery": True} for lv in levels],
                  [levels[0], {**levels[1], "value": 1}]):
        refused = _call(api_world, "POST", "/scales", json={"key": "bad", "name": "Bad",
                                                            "levels": wrong})
        assert refused.status_code == 422 and "levels" in refused.json["errors"], refused.json
    twice = _call(api_world, "POST", "/scales", json={"key": "fpa", "name": "Again",
                                                      "levels": levels})
    shipped = _call(api_world, "POST", "/scales", json={"key": "four_point_rubric",
                                                        "name": "Mine", "levels": levels})
    assert twice.status_code == shipped.status_code == 409


def test_transition_delete(api_world: ApiWorld) -> None:
    s = seed(api_world.app.test_client(), api_world.headers("all"))
    senior = _call(api_world, "POST", "/roles", json={"name": "Senior"}).json
    _call(api_world, "POST", f"/roles/{s.role_id}/transitions", json={"to_role_id": senior["id"]})
    path = f"/roles/{s.role_id}/transitions/{senior['id']}"
    assert _call(api_world, "DELETE", path, "other").status_code == 404
    gone = _call(api_world, "DELETE", path)
    assert gone.status_code == 200 and gone.json["transitions"] == []
    assert _call(api_world, "DELETE", path).status_code == 404


def test_evidence_is_deleted_only_by_the_key_that_recorded_it(api_world: ApiWorld) -> None:
    s = seed(api_world.app.test_client(), api_world.headers("all"))
    made = _call(api_world, "POST", f"/people/{s.person_id}/evidence", "write",
                 json={"kind": "certification", "competency_id": s.competency_ids[0],
                       "value": 3})
    assert made.status_code == 201
    path = f"/people/{s.person_id}/evidence/{made.json['id']}"
    not_author = _call(api_world, "DELETE", path, "all")
    assert not_author.status_code == 403 and not_author.json["code"] == "forbidden"
    assert _call(api_world, "DELETE", path, "other").status_code == 404
    wrong_person = f"/people/{s.other_person_id}/evidence/{made.json['id']}"
    assert _call(api_world, "DELETE", wrong_person, "write").status_code == 404
    assert _call(api_world, "DELETE", path, "write").status_code == 204
    assert _call(api_world, "GET", f"/people/{s.person_id}/evidence", "read").json == []
    assert _call(api_world, "DELETE", path, "write").status_code == 404


def test_openapi_documents_the_new_operations(api_world: ApiWorld) -> None:
    spec = api_world.app.test_client().get("/api/openapi.json").json
    paths = spec["paths"]
    assert "patch" in paths["/api/v1/frameworks/{framework_id}/competencies/{competency_id}"]
    assert "delete" in paths["/api/v1/frameworks/{framework_id}/competencies/{competency_id}"]
    assert "put" in paths["/api/v1/courses/{course_id}/rules/{rule_id}"]
    assert "post" in paths["/api/v1/scales"]
    assert "delete" in paths["/api/v1/roles/{role_id}/transitions/{to_role_id}"]
    assert "delete" in paths["/api/v1/people/{person_id}/evidence/{evidence_id}"]
