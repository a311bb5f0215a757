"""Widget pages rendered for launch sessions put straight into the tool's cache."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import asdict

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.usecases.launch import LaunchSession
from tests.integration.widgets.scenario import Scenario, seed_scenario
from tests.support.launch_binding import bound_client, bound_to_test_browser

OpenWidget = Callable[..., str]


@pytest.fixture
def scenario(tool_app: Flask) -> Scenario:
    return seed_scenario(services(tool_app).database, "learner-sub")


@pytest.fixture
def client(tool_app: Flask) -> FlaskClient:
    return bound_client(tool_app)


@pytest.fixture
def open_widget(tool_app: Flask, scenario: Scenario) -> OpenWidget:
    """Store a launch session for `widget` and return its launch id."""

    def open_(widget: str, person_id: int | None = None, view: int = 1, locale: str = "en",
              **custom: str) -> str:
        launch = LaunchSession(
            launch_id=secrets.token_urlsafe(16), message_type="LtiResourceLinkRequest",
            view=view, tenant_id=scenario.tenant_id, registration_id=1, deployment_id="d1",
            person_id=scenario.person_id if person_id is None else person_id,
            person_name="Amara Okafor", course_id=scenario.course_id,
            course_title="Data Analytics Foundations", widget=widget, locale=locale,
            roles=[], custom={"widget": widget, **custom},
            platform_origins=["http://localhost:5001"], **bound_to_test_browser())
        services(tool_app).cache.set(f"launch:{launch.launch_id}", asdict(launch), 600)
        return launch.launch_id

    return open_
