"""The tool's LTI keys: one active key signs; a rotated-out key stays published for the
days a platform may still hold it, then retires at the first key set read after that."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lti_tool.usecases import tool_keys
from tests.support.fakes import InMemoryDatabase

SECRET = "the tool's secret key"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _kids(db: InMemoryDatabase, now: datetime) -> set[str]:
    return {key["kid"] for key in tool_keys.published_jwks(db, now)["keys"]}


def test_the_first_key_is_made_once(db: InMemoryDatabase) -> None:
    first = tool_keys.ensure_signing_key(db, SECRET, T0)
    assert tool_keys.ensure_signing_key(db, SECRET, T0 + timedelta(days=1)) == first
    assert (first.status, first.activated_at) == ("active", T0)
    assert tool_keys.signing_key(db, SECRET, T0).kid == first.kid
    assert _kids(db, T0) == {first.kid}


def test_a_rotated_key_is_published_for_the_days_given_then_retired(
        db: InMemoryDatabase) -> None:
    first = tool_keys.ensure_signing_key(db, SECRET, T0)
    new, previous = tool_keys.rotate_keys(db, SECRET, T0, retire_after_days=3)
    assert previous == [first.kid]
    assert tool_keys.signing_key(db, SECRET, T0).kid == new.kid
    assert _kids(db, T0 + timedelta(days=3) - timedelta(seconds=1)) == {first.kid, new.kid}
    assert _kids(db, T0 + timedelta(days=3)) == {new.kid}
    statuses = {key.kid: key.status for key in tool_keys.tool_keys(db)}
    assert statuses == {first.kid: "retired", new.kid: "active"}


def test_a_retired_key_stays_retired_and_unpublished(db: InMemoryDatabase) -> None:
    first = tool_keys.ensure_signing_key(db, SECRET, T0)
    tool_keys.rotate_keys(db, SECRET, T0, retire_after_days=1)
    tool_keys.published_jwks(db, T0 + timedelta(days=2))
    assert first.kid not in _kids(db, T0)  # even when asked about an earlier time
