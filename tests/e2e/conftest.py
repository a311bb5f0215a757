"""A real Chromium (Debian's, never a downloaded one) driving the sandbox LMS and the tool."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lti_tool import create_app
from lti_tool.config import in_ci
from lti_tool.store import upgrade
from tests.integration.widgets.live_demo import LiveDemo, running_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: run `make venv` (installs the test extra)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: `apt-get install chromium` (make venv does it as root)"
    return None


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    reason = missing_browser()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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
    url = f"sqlite:///{tmp_path / 'tool.db'}"
    upgrade(url)
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
