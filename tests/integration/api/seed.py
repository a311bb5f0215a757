"""A small catalogue created through the API, for the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient


@dataclass(frozen=True)
class Seeded:
    framework_id: int
    competency_ids: list[int]
    role_id: int
    person_id: int
    other_person_id: int
    course_id: int
    item_id: int


def seed(client: FlaskClient, headers: dict[str, str]) -> Seeded:
    """Framework, role, two people, a course with an item and a rule."""
    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post(f"/api/v1{path}", json=body, headers=headers)
        assert response.status_code == 201, response.json
        return response.json

    fw = post("/frameworks", {"name": "PM", "scale_key": "four_point_rubric", "competencies": [
        {"code": "RM", "name": "Roadmapping"}, {"code": "AN", "name": "Analytics"}]})
    cids = [c["id"] for c in fw["competencies"]]
    role = post("/roles", {"name": "PM II", "requirements": [
        {"competency_id": cids[0], "required_level": 3},
        {"competency_id": cids[1], "required_level": 2}]})
    person = post("/people", {"sub": "ann", "name": "Ann"})
    other = post("/people", {"sub": "bob", "name": "Bob"})
    course = post("/courses", {"context_id": "c-1", "title": "Course"})
    item = post(f"/courses/{course['id']}/items", {"lms_id": "li-1", "title": "Capstone"})
    post(f"/courses/{course['id']}/rules", {"lms_item_id": item["id"], "competency_id": cids[0],
                                            "level": 3, "condition": {"type": "completed"}})
    return Seeded(fw["id"], cids, role["id"], person["id"], other["id"], course["id"],
                  item["id"])
