"""The SDK against a live tool, resource by resource, and every example as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from careerpath_sdk import (
    AuthenticationError,
    Client,
    ConflictError,
    NotFoundError,
    PermissionDenied,
)

from tests.integration.api.conftest import ApiWorld

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_sdk_covers_every_resource(api_world: ApiWorld, live_api: str) -> None:
    client = Client(live_api, api_world.keys["all"])
    assert {s.key for s in client.scales.list()} >= {"four_point_rubric"}
    fw = client.frameworks.create("Data", "four_point_rubric", competencies=[
        {"code": "SQL", "name": "SQL", "anchors": [{"level": 2, "text": "joins"}]}])
    fw = client.frameworks.add_competency(fw.id, "VIS", "Visualisation")
    sql, vis = fw.competency("SQL"), fw.competency("VIS")
    assert client.frameworks.get(fw.id).competency("SQL").anchors[0].text == "joins"
    assert [f.id for f in client.frameworks.list()] == [fw.id]
    analyst = client.roles.create("Analyst", [{"competency_id": sql.id, "required_level": 2}])
    senior = client.roles.create("Senior", [{"competency_id": sql.id, "required_level": 3},
                                            {"competency_id": vis.id, "required_level": 2}])
    client.roles.add_transition(analyst.id, senior.id)
    assert client.roles.get(analyst.id).transitions[0].to_role_id == senior.id
    person = client.people.upsert("u-1", name="Ann", current_role_id=analyst.id)
    assert client.people.get(person.id).name == "Ann"
    course = client.courses.create("ctx-1", title="SQL course")
    item = client.courses.add_item(course.id, "li-1", title="SQL project")
    rule = client.rules.create(course.id, item.id, sql.id, 3, {"type": "completed"})
    assert client.rules.get(course.id, rule.id).level == 3
    client.courses.enrol(course.id, person.id)
    client.evidence.add(person.id, "lms_completion", lms_item_id=item.id, value=1.0)
    client.evidence.add(person.id, "certification", competency_id=vis.id, value=2)
    assert len(client.evidence.list(person.id).list()) == 2
    assert client.goals.add(person.id, senior.id).role_ids == (senior.id,)
    readiness = client.readiness.get(person.id, senior.id)
    assert readiness.ready and readiness.score == pytest.approx(1.0)
    assert client.readiness.next_roles(person.id)[0].role_id == senior.id
    cohort = client.cohorts.readiness(course.id, senior.id)
    assert cohort.total == 1 and cohort.ready == 1
    token = client.widget_tokens.create(person.id)
    widget = Client(live_api, token.token)
    assert widget.readiness.get(person.id, senior.id).ready
    with pytest.raises(PermissionDenied):
        widget.people.get(person.id)
    export = client.people.export(person.id)
    assert export.person["sub"] == "u-1" and len(export.evidence) == 2
    client.goals.remove(person.id, senior.id)
    client.people.erase(person.id)
    with pytest.raises(NotFoundError):
        client.people.get(person.id)
    client.rules.delete(course.id, rule.id)
    assert client.rules.list(course.id) == []


def test_sdk_edits_catalogue_syncs_and_keys(api_world: ApiWorld, live_api: str) -> None:
    client = Client(live_api, api_world.keys["all"])
    scale = client.scales.create("fpa", "Foundation / Practitioner / Advanced", [
        {"value": 1, "label": "Foundation"}, {"value": 2, "label": "Practitioner",
                                               "mastery": True},
        {"value": 3, "label": "Advanced"}])
    assert [lv.proficient for lv in scale.levels] == [False, True, True]
    fw = client.frameworks.create("Ops", "fpa", competencies=[
        {"code": "A", "name": "Alpha"}, {"code": "B", "name": "Beta"}])
    alpha, beta = fw.competency("A"), fw.competency("B")
    fw = client.frameworks.update_competency(fw.id, beta.id, name="Beta two", parent_id=alpha.id,
                                             badge_level=3, anchors=[{"level": 2,
                                                                      "text": "does it"}])
    beta = fw.competency("B")
    assert (beta.name, beta.parent_id, beta.badge_level) == ("Beta two", alpha.id, 3)
    assert beta.anchors[0].text == "does it"
    fw = client.frameworks.update_competency(fw.id, beta.id, badge_level=None)
    assert fw.competency("B").badge_level is None and fw.competency("B").name == "Beta two"
    course = client.courses.create("ctx-ops")
    item = client.courses.add_item(course.id, "li-ops")
    rule = client.rules.create(course.id, item.id, beta.id, 2, {"type": "completed"})
    rule = client.rules.update(course.id, rule.id, item.id, beta.id, 3,
                               {"type": "score_at_least", "percent": 70})
    assert rule.level == 3 and rule.condition["type"] == "score_at_least"
    with pytest.raises(ConflictError):
        client.frameworks.delete_competency(fw.id, beta.id)
    assert client.frameworks.delete_competency(fw.id, beta.id, force=True).outcome == "archived"
    assert [c.code for c in client.frameworks.get(fw.id).competencies] == ["A"]
    one, two = client.roles.create("One"), client.roles.create("Two")
    client.roles.add_transition(one.id, two.id)
    assert client.roles.remove_transition(one.id, two.id).transitions == ()
    person = client.people.upsert("ops-1")
    made = client.evidence.add(person.id, "certification", competency_id=alpha.id, value=2)
    other = client.api_keys.create(["read", "write"], name="second")
    assert other.token and other.token.startswith("cp_")
    with pytest.raises(PermissionDenied):
        Client(live_api, other.token).evidence.delete(person.id, made.id)
    client.evidence.delete(person.id, made.id)
    assert client.evidence.list(person.id).list() == []
    assert "second" in {k.name for k in client.api_keys.list()}
    client.api_keys.revoke(other.id)
    assert next(k for k in client.api_keys.list() if k.id == other.id).revoked_at is not None
    with pytest.raises(NotFoundError):
        client.syncs.get(course.id, 99999)
    assert client.syncs.list(course.id).list() == []


def test_sdk_raises_authentication_error(live_api: str) -> None:
    with pytest.raises(AuthenticationError) as failed:
        Client(live_api, "cp_nope_nope", max_retries=0).roles.list().list()
    assert failed.value.request_id


@pytest.mark.parametrize("script", ["quickstart.py", "hris_evidence.py", "embed_widget.py",
                                    "case_import.py"])
def test_example_runs_against_a_live_tool(api_world: ApiWorld, live_api: str,
                                          script: str) -> None:
    env = {**os.environ, "CAREERPATH_URL": live_api,
           "CAREERPATH_API_KEY": api_world.keys["all"]}
    done = subprocess.run([sys.executable, str(EXAMPLES / script)], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
