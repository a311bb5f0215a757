"""Tombstone digests and what counts as an event naming a person (no database)."""

from __future__ import annotations

import json

from lti_tool.store.repositories.erasure import _names, subject_digest


def test_digest_is_per_tenant_and_never_the_sub() -> None:
    one = subject_digest(1, "user-42")
    assert one == subject_digest("1", "user-42") and len(one) == 64
    assert one != subject_digest(2, "user-42") and one != subject_digest(1, "user-43")
    assert "user-42" not in one


def test_an_event_names_a_person_by_id_list_or_sub_but_not_by_a_longer_id() -> None:
    assert _names(json.dumps({"person_id": 7, "role_id": 1}), 7, "ann")
    assert _names(json.dumps({"person_ids": [3, 7]}), 7, "ann")
    assert _names(json.dumps({"nested": {"sub": "ann"}}), 7, "ann")
    assert not _names(json.dumps({"person_id": 77, "sub": "anna"}), 7, "ann")
    assert not _names(json.dumps({"course_id": 7, "run_id": 7}), 7, "ann")
