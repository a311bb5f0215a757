"""The security suite's shared world (built once per module) and the live LTI fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lti_tool.bootstrap import services
from tests.integration.conftest import LiveLti, running_lti
from tests.security.outbound_listener import Listener
from tests.security.world import World, build_world, make_app


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    path: Path = tmp_path_factory.mktemp("security-world")
    found = build_world(path)
    yield found
    services(found.app).database.dispose()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveLti]:
    """The tool on 127.0.0.1 and the sandbox LMS on localhost, once per module (as
    tests/integration/conftest.py `live_lti`, which is per test)."""
    tool = make_app(tmp_path_factory.mktemp("security-live"))
    try:
        with running_lti(tool) as live:
            yield live
    finally:
        services(tool).database.dispose()


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A raw HTTP listener on 127.0.0.1 for the outbound tests (a refused call: no request)."""
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def second() -> Iterator[Listener]:
    """Another listener, for redirects between two hosts."""
    found = Listener()
    yield found
    found.close()
