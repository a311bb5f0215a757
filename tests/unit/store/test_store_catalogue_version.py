"""CatalogueCache reads the shared catalogue version at most every `version_every` seconds,
and at once after a change made by this process."""

from __future__ import annotations

from typing import Any

import pytest

from lti_tool.store import catalogue as catalogue_module
from lti_tool.store.catalogue import CatalogueCache
from tests.support.clock import Clock

NO_SESSION: Any = None  # the catalogue build is faked: no database


class SharedVersion:
    """The shared "catalogue-version" key, counting its reads."""

    def __init__(self) -> None:
        self.value = 0
        self.reads = 0
        self.during_read: Any = None

    def __call__(self) -> int:
        self.reads += 1
        if self.during_read is not None:
            self.during_read()
        return self.value


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each catalogue build is recorded; the "catalogue" is the build's number."""
    built: list[int] = []

    def load_catalogue(_session: Any, tenant_id: int | str) -> Any:
        built.append(int(tenant_id))
        return len(built)

    monkeypatch.setattr(catalogue_module, "load_catalogue", load_catalogue)
    return built


def test_the_shared_version_is_read_once_per_interval(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    first = cache.get(NO_SESSION, 1)
    clock.now += 0.5
    assert cache.get(NO_SESSION, 1) is first
    assert cache.get(NO_SESSION, 2) is not first
    assert shared.reads == 1 and loads == [1, 2]


def test_a_change_from_another_process_is_seen_after_the_interval(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    first = cache.get(NO_SESSION, 1)
    shared.value += 1  # another worker committed a change
    clock.now += 0.9
    assert cache.get(NO_SESSION, 1) == first  # bounded staleness
    clock.now += 0.1
    assert cache.get(NO_SESSION, 1) != first
    assert shared.reads == 2 and loads == [1, 1]


def test_a_change_from_this_process_is_seen_at_once(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    first = cache.get(NO_SESSION, 1)
    shared.value += 1  # published by this process ...
    cache.changed()  # ... which then tells its own cache
    assert cache.get(NO_SESSION, 1) != first
    assert shared.reads == 2 and loads == [1, 1]


def test_a_reading_that_races_a_local_change_is_not_remembered(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    shared.during_read = cache.changed  # another thread commits while this one reads
    cache.get(NO_SESSION, 1)
    shared.during_read = None
    cache.get(NO_SESSION, 1)
    assert shared.reads == 2  # the raced reading was not trusted for the interval


def test_an_interval_of_zero_reads_the_version_every_time(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=0.0)
    first = cache.get(NO_SESSION, 1)
    assert cache.get(NO_SESSION, 1) is first
    assert shared.reads == 2 and loads == [1]


def test_clear_forgets_the_catalogues_and_the_version(loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    cache.get(NO_SESSION, 1)
    cache.clear()
    cache.get(NO_SESSION, 1)
    assert shared.reads == 2 and loads == [1, 1]


def test_a_local_change_drops_the_copies_even_when_publishing_it_failed(
        loads: list[int]) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    first = cache.get(NO_SESSION, 1)
    cache.changed()  # the shared version did not move
    assert cache.get(NO_SESSION, 1) != first
    assert loads == [1, 1]


def test_a_catalogue_built_while_a_local_change_lands_is_not_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock, shared = Clock(), SharedVersion()
    cache = CatalogueCache(shared, clock=clock, version_every=1.0)
    built: list[int] = []

    def load_racing_a_change(_session: Any, tenant_id: int | str) -> Any:
        built.append(int(tenant_id))
        if len(built) == 1:
            cache.changed()  # another thread commits while this one builds
        return len(built)

    monkeypatch.setattr(catalogue_module, "load_catalogue", load_racing_a_change)
    assert cache.get(NO_SESSION, 1) == 1
    assert cache.get(NO_SESSION, 1) == 2
    assert cache.get(NO_SESSION, 1) == 2
