"""A learner downloads their own personal-data export from the readiness or badges widget."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema

from tests.integration.conftest import LiveLti
from tests.integration.lti.test_lti_launch_flow import launch
from tests.support.browser import Browser

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" /
                     "person-export.schema.json").read_text(encoding="utf-8"))
LINK = re.compile(r'<a href="([^"]+/my-data\.json[^"]*)" download>Download my data</a>')


def _download(browser: Browser, live: LiveLti, link: str, user: str) -> dict:
    page = launch(browser, live, link, user)
    assert page.status_code == 200, page.text[:300]
    found = LINK.search(page.text)
    assert found is not None, "no 'Download my data' link on the page"
    response = browser.session.get(live.tool_url + html.unescape(found.group(1)), timeout=10)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    return response.json()


def test_learner_downloads_only_their_own_data(live_lti: LiveLti) -> None:
    first, second = live_lti.users("learner")[:2]
    mine = _download(Browser(), live_lti, "link-readiness", first)
    jsonschema.validate(mine, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert mine["person"]["sub"] == first
    theirs = _download(Browser(), live_lti, "link-badges", second)
    assert theirs["person"]["sub"] == second and first not in json.dumps(theirs)
    browser = Browser()
    forged = browser.session.get(f"{live_lti.tool_url}/widgets/readiness/my-data.json",
                                 params={"launch": "forged"}, timeout=10)
    assert forged.status_code == 401 and first not in forged.text
    other = browser.session.get(f"{live_lti.tool_url}/widgets/career_path/my-data.json",
                                params={"launch": "forged"}, timeout=10)
    assert other.status_code == 404
