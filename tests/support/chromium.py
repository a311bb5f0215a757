"""Debian's Chromium driven by Playwright: one browser per test session, shared by suites.

Playwright's sync API allows one running instance per thread, so the e2e and security
suites must share this session-scoped browser rather than each starting their own.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lti_tool.config import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed: run `make venv` (installs the test extra)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: `apt-get install chromium` (make venv does it as root)"
    return None


def launched_chromium() -> Iterator[Any]:
    """The browser, or a skip (a failure under CI) saying what is missing."""
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
