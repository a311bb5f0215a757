"""Fixtures of the badge integration tests."""

from badge_scenario import badge_world  # noqa: F401
