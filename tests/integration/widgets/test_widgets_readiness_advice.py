"""Advice that matches the evidence: a module tried below its rule is shown as "improve"."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.bootstrap import services
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.rules import EvidenceRule, ScoreAtLeast
from lti_tool.store.repositories import CourseRepository, EvidenceRepository
from tests.integration.widgets.conftest import OpenWidget
from tests.integration.widgets.scenario import START, Scenario
from tests.integration.widgets.test_widgets_pages import get, text_of

RETAKE = "SQL <retake> quiz"


def tried_at_half(tool_app: Flask, scenario: Scenario) -> None:
    """A module whose rule (SQL level 3) needs 80 %, where the learner scored 50 %."""
    with services(tool_app).database.session() as session:
        courses = CourseRepository(session)
        item = courses.upsert_lms_item(scenario.course_id, "line_item", "li-retake",
                                       title=RETAKE, score_maximum=20)
        courses.add_rule(EvidenceRule("", item.id, scenario.competencies["PD.ANL.SQL"], 3,
                                      ScoreAtLeast(80)))
        evidence = EvidenceRepository(session)
        for kind, value in ((EvidenceKind.LMS_COMPLETION, 1.0), (EvidenceKind.LMS_SCORE, 0.5)):
            evidence.record(scenario.tenant_id, Evidence(
                kind, str(scenario.person_id), START, value, lms_item_id=item.id,
                source_ref=f"retake-{kind}"))


def test_a_half_score_on_an_80_percent_rule_says_improve_with_both_numbers(
        tool_app: Flask, client: FlaskClient, scenario: Scenario,
        open_widget: OpenWidget) -> None:
    tried_at_half(tool_app, scenario)
    target = scenario.roles["Senior Data Analyst"]
    page = get(client, "readiness", open_widget("readiness", target_role=target))
    assert page.status_code == 200
    text = text_of(page.text)
    assert ("Improve SQL <retake> quiz: your score 50%, this level needs 80%. Meeting it "
            "raises SQL querying to Exceeds expectations (3)") in text
    assert "SQL &lt;retake&gt; quiz" in page.text, "titles are escaped"
    assert "<retake>" not in page.text
    # the quiz at 90 % on its 80 % rule is met: no advice about it
    assert "SQL Fundamentals quiz" not in text
    # ranked with the others by gain: the retake (to level 3) and the lab (to 3) both listed
    assert "Advanced SQL lab: raises SQL querying" in text
    body = page.text.split("</head>")[-1]
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert all(' src="/static/' in tag for tag in scripts), "only the tool's own script files"
