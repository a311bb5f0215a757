"""The badge key set: one active key signs; a retired key stays published while a badge it
signed is valid, for ever when one never expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lti_tool.store.repositories.badge_keys import SignedBadges
from lti_tool.usecases.badges import keys as badge_keys
from tests.support.fakes import InMemoryDatabase

SECRET = "the tool's secret key"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_first_key_is_made_once_and_signs(db: InMemoryDatabase) -> None:
    first = badge_keys.ensure_badge_key(db, SECRET, T0)
    assert badge_keys.ensure_badge_key(db, SECRET, T0 + timedelta(days=1)) == first
    signing = badge_keys.badge_signing_key(db, SECRET, T0)
    assert signing.kid == first.kid
    assert first.private_key_encrypted is not None
    assert b"PRIVATE KEY" not in first.private_key_encrypted.encode()


def test_rotating_retires_the_active_key(db: InMemoryDatabase) -> None:
    first = badge_keys.ensure_badge_key(db, SECRET, T0)
    new, retired = badge_keys.rotate_badge_keys(db, SECRET, T0 + timedelta(days=1))
    assert retired == [first.kid]
    assert badge_keys.badge_signing_key(db, SECRET, T0).kid == new.kid
    states = {s.key.kid: s for s in badge_keys.badge_key_states(db)}
    assert (states[first.kid].key.status, states[new.kid].key.status) == ("retired", "active")
    assert states[first.kid].key.retired_at == T0 + timedelta(days=1)


def test_a_retired_key_without_badges_is_no_longer_published(db: InMemoryDatabase) -> None:
    first = badge_keys.ensure_badge_key(db, SECRET, T0)
    new, _ = badge_keys.rotate_badge_keys(db, SECRET, T0 + timedelta(days=1))
    assert [k["kid"] for k in badge_keys.badge_jwks(db, T0)["keys"]] == [new.kid]
    assert badge_keys.badge_key_states(db)[0].until is None
    assert badge_keys.badge_key_states(db)[0].key.kid == first.kid


def test_a_retired_key_is_published_until_its_last_badge_expires(
        db: InMemoryDatabase) -> None:
    first = badge_keys.ensure_badge_key(db, SECRET, T0)
    until = T0 + timedelta(days=30)
    db.tables.signed_badges[first.kid] = SignedBadges(3, False, until)
    badge_keys.rotate_badge_keys(db, SECRET, T0 + timedelta(days=1))
    (state,) = [s for s in badge_keys.badge_key_states(db) if s.key.kid == first.kid]
    assert (state.badges, state.until) == (3, until)

    def published(now: datetime) -> set[str]:
        return {k["kid"] for k in badge_keys.badge_jwks(db, now)["keys"]}

    assert first.kid in published(until - timedelta(seconds=1))
    assert first.kid not in published(until)


def test_a_retired_key_whose_badge_never_expires_is_published_for_ever(
        db: InMemoryDatabase) -> None:
    first = badge_keys.ensure_badge_key(db, SECRET, T0)
    db.tables.signed_badges[first.kid] = SignedBadges(2, True, T0)
    badge_keys.rotate_badge_keys(db, SECRET, T0 + timedelta(days=1))
    far = T0 + timedelta(days=365 * 50)
    assert first.kid in {k["kid"] for k in badge_keys.badge_jwks(db, far)["keys"]}
    assert badge_keys.badge_key_states(db)[0].until == badge_keys.FOREVER
