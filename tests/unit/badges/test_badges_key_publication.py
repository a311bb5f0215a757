"""How long a badge key stays published: the rule, on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.store.repositories.badge_keys import BadgeKey, SignedBadges
from lti_tool.usecases.badges.keys import FOREVER, BadgeKeyState, published_until

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def key(status: str) -> BadgeKey:
    return BadgeKey("kid", {"kid": "kid"}, status, "badge", T0, T0, None)


@pytest.mark.parametrize(("status", "signed", "until"), [
    ("active", None, FOREVER),
    ("active", SignedBadges(3, False, T0), FOREVER),
    ("retired", None, None),
    ("retired", SignedBadges(2, False, T0 + timedelta(days=9)), T0 + timedelta(days=9)),
    ("retired", SignedBadges(2, True, T0 + timedelta(days=9)), FOREVER),
])
def test_published_until(status: str, signed: SignedBadges | None,
                         until: datetime | str | None) -> None:
    assert published_until(key(status), signed) == until


def test_published_at_the_edges() -> None:
    dated = BadgeKeyState(key("retired"), 2, T0)
    assert dated.published_at(T0 - timedelta(seconds=1))
    assert not dated.published_at(T0)
    assert BadgeKeyState(key("retired"), 1, FOREVER).published_at(T0 + timedelta(days=36500))
    assert not BadgeKeyState(key("retired"), 0, None).published_at(T0)
    assert BadgeKeyState(key("active"), 0, FOREVER).published_at(T0)
