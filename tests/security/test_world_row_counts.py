"""The matrix's "nothing changed" check ignores only the API's per-minute rate counters."""

from __future__ import annotations

from lti_tool.bootstrap import services
from tests.security.world import World


def test_a_new_rate_window_is_not_a_change_but_other_cache_entries_are(world: World) -> None:
    cache = services(world.app).cache
    before = world.row_counts()
    cache.incr("api:rate:some-key:999999", 60)  # a request in a fresh minute window
    assert world.row_counts() == before
    cache.set("launch:planted-by-a-request", {"x": 1}, 60)
    assert world.row_counts()["cache_entries"] == before["cache_entries"] + 1
    cache.pop("launch:planted-by-a-request")
