"""The binding cookie of a test browser, for launch sessions put straight into the cache."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from lti_tool.usecases.launch import browser_digest
from lti_tool.web.launch_binding import BROWSER_COOKIE

TEST_BROWSER_KEY = "test-browser-binding-cookie-value-0000000000"


def bound_to_test_browser() -> dict[str, Any]:
    """LaunchSession fields that bind a session to `bound_client`'s browser, opened now."""
    now = time.time()
    return {"browser": browser_digest(TEST_BROWSER_KEY), "created_at": now, "seen_at": now}


def bound_client(app: Flask) -> FlaskClient:
    """A test client holding the test browser's binding cookie."""
    client = app.test_client()
    client.set_cookie(BROWSER_COOKIE, TEST_BROWSER_KEY)
    return client
