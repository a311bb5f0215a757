"""Instructor pages rendered for launch sessions put straight into the cache, over a class of
learners with different evidence on the scenario's course modules."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.store.repositories import CourseRepository, EvidenceRepository, PersonRepository
from lti_tool.usecases.launch import LaunchSession
from tests.integration.widgets.scenario import START, Scenario, seed_scenario
from tests.support.launch_binding import bound_client, bound_to_test_browser

OpenPage = Callable[..., str]
INJECTED_NAME = "=HYPERLINK(\"http://evil.example\",\"x\")"
CLASSMATES = (  # sub, name, email, evidence: (item title, kind, value)
    ("ben", "Ben Berg", "ben@example.edu", (
        ("SQL Fundamentals quiz", EvidenceKind.LMS_COMPLETION, 1.0),
        ("SQL Fundamentals quiz", EvidenceKind.LMS_SCORE, 0.85),
        ("Advanced SQL lab", EvidenceKind.LMS_COMPLETION, 1.0))),
    ("chidi", "Chidi Costa", "+chidi@example.edu", (
        ("SQL Fundamentals quiz", EvidenceKind.LMS_COMPLETION, 1.0),
        ("SQL Fundamentals quiz", EvidenceKind.LMS_SCORE, 0.5),
        ("Dashboard project", EvidenceKind.PROJECT_ACCEPTED, 1.0))),
    ("dana", INJECTED_NAME, "@dana@example.edu", (
        ("Data modelling workshop", EvidenceKind.LMS_COMPLETION, 1.0),
        ("SQL Fundamentals quiz", EvidenceKind.LMS_COMPLETION, 1.0))),
)


@dataclass
class Classroom:
    scenario: Scenario
    learners: dict[str, int] = field(default_factory=dict)
    instructor_id: int = 0


def add_classmates(app: Flask, scenario: Scenario) -> Classroom:
    """Three more learners with evidence, and an instructor who must not count as a learner."""
    room = Classroom(scenario, {"learner-sub": scenario.person_id})
    with services(app).database.session() as session:
        people, courses = PersonRepository(session), CourseRepository(session)
        evidence = EvidenceRepository(session)
        for sub, name, email, found in CLASSMATES:
            person = people.upsert_person(scenario.tenant_id, sub, name=name, email=email)
            courses.upsert_membership(scenario.course_id, person.id, "Learner")
            room.learners[sub] = person.id
            for n, (title, kind, value) in enumerate(found):
                evidence.record(scenario.tenant_id, Evidence(
                    kind, str(person.id), START, value, lms_item_id=scenario.items[title],
                    source_ref=f"{sub}-{n}"))
        teacher = people.upsert_person(scenario.tenant_id, "teacher", name="Grace Whitfield")
        courses.upsert_membership(scenario.course_id, teacher.id,
                                  "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor")
        room.instructor_id = teacher.id
    return room


@pytest.fixture
def scenario(tool_app: Flask) -> Scenario:
    return seed_scenario(services(tool_app).database, "learner-sub")


@pytest.fixture
def classroom(tool_app: Flask, scenario: Scenario) -> Classroom:
    return add_classmates(tool_app, scenario)


@pytest.fixture
def client(tool_app: Flask) -> FlaskClient:
    return bound_client(tool_app)


@pytest.fixture
def open_page(tool_app: Flask, scenario: Scenario) -> OpenPage:
    """Store a launch session (instructor view by default) and return its launch id."""

    def open_(widget: str = "mapping", view: int = 2, course_id: int | None = None,
              tenant_id: int | None = None, person_id: int | None = None, locale: str = "en",
              **custom: str) -> str:
        launch = LaunchSession(
            launch_id=secrets.token_urlsafe(16), message_type="LtiResourceLinkRequest",
            view=view, tenant_id=scenario.tenant_id if tenant_id is None else tenant_id,
            registration_id=1, deployment_id="d1",
            person_id=scenario.person_id if person_id is None else person_id,
            person_name="Grace Whitfield",
            course_id=scenario.course_id if course_id is None else course_id,
            course_title="Data Analytics Foundations", widget=widget, locale=locale,
            roles=[], custom={"widget": widget, **custom},
            platform_origins=["http://localhost:5001"], **bound_to_test_browser())
        services(tool_app).cache.set(f"launch:{launch.launch_id}", asdict(launch), 600)
        return launch.launch_id

    return open_


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


class FakeJobs:
    """A JobQueue that records the syncs asked for instead of running them."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def enqueue_sync(self, course_id: int, trigger: str) -> str:
        self.calls.append((course_id, trigger))
        return f"job-{len(self.calls)}"


@pytest.fixture
def fake_jobs(tool_app: Flask) -> FakeJobs:
    jobs = FakeJobs()
    services(tool_app).jobs = jobs
    return jobs


def with_sync_api(app: Flask) -> Flask:
    """Register the sync-jobs API blueprint unless the app already has it."""
    from lti_tool.api import sync_jobs

    if "sync_jobs" not in app.blueprints:
        app.extensions["careerpath_api"].register_blueprint(sync_jobs.bp, url_prefix="/api/v1")
    return app
