"""A real Chromium (Debian's, never a downloaded one) driving the sandbox LMS and the tool."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lti_tool import create_app
from tests.integration.widgets.live_demo import LiveDemo, running_demo
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS, missing_browser  # noqa: F401
from tests.support.databases import migrated_sqlite_url

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def tool_app(tmp_path: Path) -> Flask:
    """A tool on a fresh, migrated SQLite file (as in tests/integration)."""
    url = migrated_sqlite_url(tmp_path / "tool.db")
    return create_app({"database_url": url, "testing": True, "sync_on_launch": False,
                       "secret_key": "test-secret-key-for-launches"})


@pytest.fixture
def demo(tool_app: Flask) -> Iterator[LiveDemo]:
    with running_demo(tool_app) as found:
        yield found


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
