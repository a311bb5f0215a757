"""Widgets after a real launch from the sandbox LMS, the platform joined to the demo tenant."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask

from lti_tool.bootstrap import services
from lti_tool.usecases.readiness import load_levels, next_roles, readiness_report
from tests.integration.lti.test_lti_launch_flow import launch
from tests.integration.widgets.live_demo import running_demo
from tests.support.browser import Browser
from widgets.locale_format import LocaleFormat


def test_learner_launch_of_readiness_shows_domain_numbers(tool_app: Flask) -> None:
    with running_demo(tool_app) as demo:
        page = launch(Browser(), demo.live, "link-readiness", demo.learner)
        assert page.status_code == 200, page.text[:500]
        levels = load_levels(services(tool_app).database, demo.scenario.tenant_id,
                             demo.scenario.person_id)
        best = next_roles(levels)[0]
        score = readiness_report(levels, best.role_id, datetime.now(UTC)).readiness.score
        assert f'data-readiness="{LocaleFormat("en").percent(score)}"' in page.text
        assert "Data Analytics Foundations" in page.text


def test_learner_launch_of_mapping_is_refused(tool_app: Flask) -> None:
    with running_demo(tool_app, peers=0) as demo:
        page = launch(Browser(), demo.live, "link-mapping", demo.learner)
        assert page.status_code == 403
        assert "This page is for instructors" in page.text
