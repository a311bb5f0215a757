"""The readiness page's rating radios, built in Python: escaped, own rating checked."""

from __future__ import annotations

from datetime import UTC, datetime

from lti_tool.domain.people_evidence import SelfRating
from lti_tool.domain.scales import ProficiencyLevel
from lti_tool.domain.taxonomy import BehaviouralAnchor
from widgets.people_evidence import CompetencyEvidence

LEVELS = (ProficiencyLevel(1, "Needs <b>development</b>"), ProficiencyLevel(2, "Meets & more"),
          ProficiencyLevel(3, "Exceeds"))
ANCHORS = [BehaviouralAnchor("sql", 1, 'Writes "<script>"'), BehaviouralAnchor("sql", 1, "later"),
           BehaviouralAnchor("sql", 3, "")]


def row(rating: int | None) -> CompetencyEvidence:
    rated = None if rating is None else SelfRating("7", "sql", rating, "", datetime.now(UTC))
    return CompetencyEvidence("sql", "SQL", None, LEVELS, ANCHORS, rated, None, [])


def test_labels_and_anchors_are_escaped_and_the_first_anchor_per_level_is_shown() -> None:
    html = str(row(None).level_choices)
    assert ("1: Needs &lt;b&gt;development&lt;/b&gt; — Writes &#34;&lt;script&gt;&#34;</label>"
            in html)
    assert "later" not in html
    assert "2: Meets &amp; more</label>" in html
    assert "3: Exceeds</label>" in html  # an empty anchor adds no dash
    assert "<script>" not in html and " checked" not in html
    assert html.count('<label class="cp-check"><input type="radio" name="level"') == 3


def test_the_learners_own_rating_is_checked() -> None:
    html = str(row(2).level_choices)
    assert '<input type="radio" name="level" value="2" checked required>' in html
    assert html.count(" checked") == 1
