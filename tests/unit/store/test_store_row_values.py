"""Stored column values → domain evidence and rules, as the learner context reads them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from lti_tool.domain.errors import InvalidInput
from lti_tool.domain.evidence import Evidence, EvidenceKind
from lti_tool.domain.rules import AllOf, Completed, EvidenceRule, ScoreAtLeast, condition_to_dict
from lti_tool.store.repositories.courses import rule_from_row, rule_from_values
from lti_tool.store.repositories.evidence import (
    EVIDENCE_COLUMNS,
    evidence_from_row,
    evidence_from_values,
)

T0 = datetime(2025, 1, 6, 8, 0, tzinfo=UTC)


def test_evidence_values_read_in_the_order_of_the_columns():
    assert [c.name for c in EVIDENCE_COLUMNS] == [
        "id", "kind", "observed_at", "value", "competency_id", "lms_item_id", "source_ref",
        "verifier"]
    assert evidence_from_values("7", 3, "lms_score", T0, 0.5, None, 12, "s1", "") == Evidence(
        EvidenceKind.LMS_SCORE, "7", T0, 0.5, lms_item_id="12", source_ref="s1", id="3")
    direct = evidence_from_values("7", 4, "manager_endorsement", T0, 3.0, 21, None, "m", "ann")
    assert (direct.competency_id, direct.lms_item_id, direct.verifier) == ("21", None, "ann")
    assert type(direct.kind) is EvidenceKind


def test_a_row_and_its_values_give_the_same_evidence():
    row = SimpleNamespace(id=5, person_id=7, kind="lms_completion", observed_at=T0, value=1.0,
                          competency_id=None, lms_item_id=9, source_ref="c", verifier="")
    assert evidence_from_row(row) == evidence_from_values(
        "7", *(getattr(row, c.name) for c in EVIDENCE_COLUMNS))


def test_stored_evidence_is_still_checked():
    with pytest.raises(ValueError, match="nope"):
        evidence_from_values("7", 1, "nope", T0, 1.0, None, 9, "x", "")
    with pytest.raises(InvalidInput):
        evidence_from_values("7", 1, "lms_score", T0, 1.5, None, 9, "x", "")


def test_rule_values_and_rows_give_the_same_rule():
    condition = AllOf((Completed(), ScoreAtLeast(70)))
    stored = json.dumps(condition_to_dict(condition))
    rule = rule_from_values(11, 9, 21, 3, stored)
    assert rule == EvidenceRule("11", "9", "21", 3, condition)
    row = SimpleNamespace(id=11, lms_item_id=9, competency_id=21, level=3, condition=stored)
    assert rule_from_row(row) == rule
