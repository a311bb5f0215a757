"""Pure rules of people's evidence: artifact links, levels and anchors, calibration."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.people_evidence import (
    accepted_items,
    artifact_url,
    calibration_gap,
    chosen_anchor,
    scale_level,
)
from lti_tool.domain.rules import Accepted, AllOf, AnyOf, Completed, EvidenceRule, ScoreAtLeast
from lti_tool.domain.scales import FOUR_POINT_RUBRIC
from lti_tool.domain.taxonomy import BehaviouralAnchor, Competency, Framework

FRAMEWORK = Framework("1", "Data", FOUR_POINT_RUBRIC, (Competency("10", "SQL", "SQL"),
                                                      Competency("11", "VIS", "Charts")),
                      (BehaviouralAnchor("10", 2, "writes joins"),
                       BehaviouralAnchor("10", 4, "teaches SQL")))


@pytest.mark.parametrize("url", ["https://example.org", "https://example.org/a?b=c#d",
                                 "HTTPS://Example.org/x", "  https://example.org/x  "])
def test_https_links_with_a_host_are_artifacts(url: str) -> None:
    assert artifact_url(url) == url.strip()


@pytest.mark.parametrize("url", ["", "http://example.org", "javascript:alert(1)",
                                 "data:text/html,x", "https://", "//example.org/x",
                                 "https://u:p@example.org", "https://example.org/\x00",
                                 "https://example.org/<x>", "https://ex ample.org",
                                 "https://[::1", "https://e.org/" + "x" * 2048])
def test_other_links_are_refused_on_the_url_field(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        artifact_url(url)
    assert list(refused.value.errors) == ["url"]


def test_levels_come_from_the_scale() -> None:
    assert scale_level(FRAMEWORK, "3") == 3
    for bad in (0, 5, "x", None, 2.5, True, "2.0"):
        with pytest.raises(InvalidInput):
            scale_level(FRAMEWORK, bad)  # type: ignore[arg-type]


def test_anchor_must_be_the_competencys_and_not_above_the_level() -> None:
    assert chosen_anchor(FRAMEWORK, "10", 2, 3) == "writes joins"
    assert chosen_anchor(FRAMEWORK, "11", None, 3) == ""  # no anchors: none to pick
    for anchor, level in ((None, 3), (3, 3), (4, 3), ("x", 3)):
        with pytest.raises(InvalidInput) as refused:
            chosen_anchor(FRAMEWORK, "10", anchor, level)
        assert "anchor_level" in refused.value.errors


def test_calibration_gap_is_self_minus_evidence() -> None:
    assert calibration_gap(4, 2.5) == 1.5
    assert calibration_gap(1, 2) == -1
    assert calibration_gap(None, 2) is None and calibration_gap(3, None) is None


def test_accepted_items_are_those_the_competencys_rules_read() -> None:
    rules = [
        EvidenceRule("1", "100", "10", 3, AllOf((Completed(), Accepted()))),
        EvidenceRule("2", "101", "10", 2, AnyOf((ScoreAtLeast(80), Accepted("102")))),
        EvidenceRule("3", "103", "10", 2, Completed()),
        EvidenceRule("4", "104", "11", 3, Accepted()),
    ]
    assert accepted_items(rules, "10") == {"100", "102"}
    assert accepted_items(rules, "11") == {"104"}
    assert accepted_items(rules, "12") == set()
