"""A kept readiness page is served only while everything it shows is unchanged.

widgets.page_cache keeps the rendered page per learner, launch facts, query and day, with
the versions of the learner data and the catalogue it was computed at. These tests count
the renders and check that each kind of change (a form, a sync's bulk insert, a catalogue
edit, another notice, another name) gives a page rendered afresh, and that a kept page
carries the new launch's id and a CSRF token its forms are accepted with.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

import widgets.readiness as readiness
from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.cache import RedisCache
from lti_tool.config import in_ci, service_url_for_tests
from lti_tool.store.bulk_inserts import BulkInsert
from lti_tool.store.models import CompetencyRow, EvidenceRow
from lti_tool.store.repositories import CourseRepository, PersonRepository
from lti_tool.usecases.launch import LaunchSession
from lti_tool.web.csrf import csrf_token
from tests.integration.widgets.conftest import OpenWidget
from tests.integration.widgets.scenario import Scenario, seed_scenario
from tests.integration.widgets.test_widgets_pages import get
from tests.support.databases import migrated_sqlite_url
from tests.support.launch_binding import bound_client, bound_to_test_browser

SECRET = "test-secret-key-for-launches"
REDIS_HINT = "Redis not configured: set CAREERPATH_TEST_REDIS_URL=redis://127.0.0.1:6379/0"


@pytest.fixture(params=["memory", "redis"])
def tool_app(request: pytest.FixtureRequest, tmp_path: Path) -> Flask:
    """The tool with pages kept in this process (`CAREERPATH_CACHE=memory`) or in Redis (a
    key prefix of its own, so other tests' versions never move this test's)."""
    app = create_app({"database_url": migrated_sqlite_url(tmp_path / "tool.db"),
                      "testing": True, "sync_on_launch": False, "cache": "memory",
                      "secret_key": SECRET})
    if request.param == "redis":
        url = service_url_for_tests("redis")
        if url is None:
            if in_ci():
                pytest.fail(f"CI is set but {REDIS_HINT}")
            pytest.skip(REDIS_HINT)
        services(app).cache = RedisCache(url, prefix=f"careerpath-test-{uuid.uuid4().hex}:")
    assert services(app).keeps_pages
    return app


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The launch ids the readiness page was rendered for (a stand-in when kept)."""
    made: list[str] = []
    real = readiness.readiness_html

    def counted(launch: LaunchSession, asked: str) -> str:
        made.append(launch.launch_id)
        return real(launch, asked)

    monkeypatch.setattr(readiness, "readiness_html", counted)
    return made


def normalised(page: str, launch_id: str) -> str:
    return page.replace(csrf_token(SECRET, launch_id), "CSRF").replace(launch_id, "LAUNCH")


def test_a_second_launch_gets_the_kept_page_with_its_own_id_and_token(
        client: FlaskClient, open_widget: OpenWidget, renders: list[str]) -> None:
    first, second = open_widget("readiness"), open_widget("readiness")
    one, two = get(client, "readiness", first), get(client, "readiness", second)
    assert one.status_code == two.status_code == 200
    assert len(renders) == 1, "the second launch's page came from the cache"
    assert renders[0] not in (first, second), "rendered for a stand-in id"
    assert renders[0] not in one.text and renders[0] not in two.text
    assert f'name="launch" value="{second}"' in two.text
    assert f'name="csrf" value="{csrf_token(SECRET, second)}"' in two.text
    assert first not in two.text and csrf_token(SECRET, first) not in two.text
    assert normalised(one.text, first) == normalised(two.text, second)
    assert two.headers["Content-Security-Policy"] == one.headers["Content-Security-Policy"]


def test_a_form_posted_from_a_kept_page_is_accepted_and_its_change_shown(
        client: FlaskClient, open_widget: OpenWidget, scenario: Scenario,
        renders: list[str]) -> None:
    get(client, "readiness", open_widget("readiness"))
    launch = open_widget("readiness")
    kept = get(client, "readiness", launch).text
    assert len(renders) == 1
    competency = re.search(r'name="competency" value="([^"]+)"', kept)
    token = re.search(r'name="csrf" value="([^"]+)"', kept)
    assert competency and token
    posted = client.post("/widgets/readiness/self_rating", data={
        "launch": launch, "csrf": token[1], "competency": competency[1], "level": "2"})
    assert posted.status_code == 303 and "notice=rated" in posted.headers["Location"]
    again = get(client, "readiness", launch)
    assert len(renders) == 2, "the rating moved the learner-data version on"
    assert 'class="cp-self-rating" data-level="2"' in again.text


def test_a_syncs_bulk_insert_of_evidence_is_shown_at_once(
        tool_app: Flask, client: FlaskClient, open_widget: OpenWidget, scenario: Scenario,
        renders: list[str]) -> None:
    get(client, "readiness", open_widget("readiness"))
    item = int(next(iter(scenario.items.values())))
    columns = ("tenant_id", "person_id", "kind", "lms_item_id", "value", "observed_at",
               "source_ref", "verifier", "created_at")
    at = datetime(2026, 12, 7, tzinfo=UTC)
    with services(tool_app).database.session() as session:
        BulkInsert(EvidenceRow.__table__, columns).run_rows(session, [
            (scenario.tenant_id, scenario.person_id, "lms_completion", item, 1.0, at,
             "synced:1:completion", "lms", at)])
    get(client, "readiness", open_widget("readiness"))
    assert len(renders) == 2


def test_a_catalogue_edit_is_shown_at_once(tool_app: Flask, client: FlaskClient,
                                           open_widget: OpenWidget, scenario: Scenario,
                                           renders: list[str]) -> None:
    get(client, "readiness", open_widget("readiness"))
    with services(tool_app).database.session() as session:
        session.execute(update(CompetencyRow).values(name=CompetencyRow.name + " (renamed)"))
    page = get(client, "readiness", open_widget("readiness"))
    assert len(renders) == 2
    assert "(renamed)" in page.text


@pytest.mark.parametrize("change", [
    {"query": {"notice": "rated"}},
    {"launch": {"person_name": "Amara O. Renamed"}},
    {"launch": {"locale": "de"}},
    {"launch": {"view": 2}},
])
def test_what_a_page_shows_besides_the_data_is_in_its_key(
        tool_app: Flask, client: FlaskClient, open_widget: OpenWidget,
        renders: list[str], change: dict[str, Any]) -> None:
    get(client, "readiness", open_widget("readiness"))
    launch_id = open_widget("readiness")
    cache = services(tool_app).cache
    stored = cache.get(f"launch:{launch_id}")
    cache.set(f"launch:{launch_id}", {**stored, **change.get("launch", {})}, 600)
    page = get(client, "readiness", launch_id, **change.get("query", {}))
    assert page.status_code == 200
    assert len(renders) == 2, f"{change} gave the page kept for another launch"
    if "person_name" in change.get("launch", {}):
        assert "Amara O. Renamed" in page.text


def test_a_process_that_could_not_announce_its_change_renders_afresh(
        tool_app: Flask, client: FlaskClient, open_widget: OpenWidget, scenario: Scenario,
        renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    get(client, "readiness", open_widget("readiness"))
    svc = services(tool_app)

    def unreachable(_keys: list[str], _ttl: int) -> None:
        raise ConnectionError("shared cache unreachable")

    monkeypatch.setattr(svc.cache, "bump", unreachable)
    with svc.database.session() as session:  # a learner-data write whose version is lost
        session.execute(update(EvidenceRow).where(
            EvidenceRow.person_id == scenario.person_id).values(value=0.25))
    assert not svc.shared_versions_trusted()
    get(client, "readiness", open_widget("readiness"))
    get(client, "readiness", open_widget("readiness"))
    assert len(renders) == 3, "no kept page while this process's change is unannounced"


def test_pages_are_not_kept_in_the_database_cache(tmp_path: Path, renders: list[str]) -> None:
    app = create_app({"database_url": migrated_sqlite_url(tmp_path / "db.sqlite"),
                      "testing": True, "sync_on_launch": False, "cache": "database",
                      "secret_key": SECRET})
    svc = services(app)
    assert not svc.keeps_pages
    scenario = seed_scenario(svc.database, "learner-sub")
    client = bound_client(app)
    for _ in range(2):
        launch = LaunchSession(
            launch_id=f"launch-{len(renders)}", message_type="LtiResourceLinkRequest", view=1,
            tenant_id=scenario.tenant_id, registration_id=1, deployment_id="d1",
            person_id=scenario.person_id, person_name="Amara Okafor",
            course_id=scenario.course_id, course_title="Data Analytics Foundations",
            widget="readiness", locale="en", roles=[], custom={"widget": "readiness"},
            platform_origins=["http://localhost:5001"], **bound_to_test_browser())
        svc.cache.set(f"launch:{launch.launch_id}", asdict(launch), 600)
        assert get(client, "readiness", launch.launch_id).status_code == 200
    assert len(renders) == 2


def test_another_learners_first_launch_keeps_the_page_and_ones_own_change_drops_it(
        tool_app: Flask, client: FlaskClient, open_widget: OpenWidget, scenario: Scenario,
        renders: list[str]) -> None:
    get(client, "readiness", open_widget("readiness"))
    database = services(tool_app).database
    with database.session() as session:  # what record_launch writes on a first launch
        other = PersonRepository(session).upsert_person(scenario.tenant_id, "someone-new",
                                                        name="Someone New")
        CourseRepository(session).upsert_membership(scenario.course_id, other.id, "Learner")
    get(client, "readiness", open_widget("readiness"))
    assert len(renders) == 1, "another person's rows do not change this learner's page"
    with database.session() as session:
        CourseRepository(session).upsert_membership(scenario.course_id, scenario.person_id,
                                                    "Learner", "Inactive")
    get(client, "readiness", open_widget("readiness"))
    assert len(renders) == 2, "the learner's own membership changed"


def test_a_real_launch_reads_its_kept_page_with_its_sessions_write(
        tool_app: Flask, renders: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Launches from the sandbox LMS: the second gets the kept page, read in the same round
    trip as its launch session's write (no read of its own), showing that launch's id."""
    from tests.integration.lti.test_lti_launch_flow import launch
    from tests.integration.widgets.live_demo import running_demo
    from tests.support.browser import Browser

    cache = services(tool_app).cache
    reads: list[tuple[str, ...]] = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(tuple(keys)) or
                        real_get_many(keys))
    with running_demo(tool_app, peers=0) as demo:
        first = launch(Browser(), demo.live, "link-readiness", demo.learner)
        reads.clear()
        second = launch(Browser(), demo.live, "link-readiness", demo.learner)
    assert first.status_code == second.status_code == 200
    assert len(renders) == 1, "the second launch's page was kept"
    assert not [keys for keys in reads if any(k.startswith("page:") for k in keys)], \
        "the kept page came with the launch session's write"
    launch_ids = re.findall(r'name="launch" value="([^"]+)"', second.text)
    assert launch_ids and set(launch_ids) != set(
        re.findall(r'name="launch" value="([^"]+)"', first.text))
    assert renders[0] not in second.text


@pytest.mark.parametrize("stored", [
    {"versions": None, "stand_in": "cpold", "html": "<p>an earlier release's entry</p>"},
    b"not json\n<p>forged</p>", b"<p>no head line</p>", b'{"versions": null}\n<p>x</p>',
    b'["a list"]\n<p>x</p>'])
def test_an_entry_that_is_not_a_current_kept_page_is_rendered_afresh(
        tool_app: Flask, client: FlaskClient, open_widget: OpenWidget, renders: list[str],
        monkeypatch: pytest.MonkeyPatch, stored: object) -> None:
    cache = services(tool_app).cache
    kept: list[str] = []
    real_set = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, ttl: (
        kept.append(key) if key.startswith("page:") else None, real_set(key, value, ttl))[1])
    get(client, "readiness", open_widget("readiness"))
    assert len(kept) == 1 and isinstance(cache.get(kept[0]), bytes), "kept as bytes"
    if isinstance(stored, dict):  # at the versions it would have been served at before
        head = json.loads(cache.get(kept[0]).partition(b"\n")[0])
        stored = {**stored, "versions": head["versions"]}
    real_set(kept[0], stored, 60)
    page = get(client, "readiness", open_widget("readiness"))
    assert page.status_code == 200 and len(renders) == 2
    assert "forged" not in page.text and "earlier release" not in page.text
    assert 'data-readiness=' in page.text
