"""Deep linking places widgets in the sandbox course; key rotation keeps launches verifiable."""

from __future__ import annotations

import jwt

from lti_tool.bootstrap import services
from lti_tool.sandbox import platform_of
from tests.integration.conftest import LiveLti
from tests.support.browser import Browser


def deep_linking_picker(live: LiveLti, browser: Browser, user: str):  # noqa: ANN201
    frame = browser.get(f"{live.sandbox_url}/courses/course-101/deep_linking/launch?user={user}")
    auth_page = browser.submit(browser.frame(frame))
    return browser.submit(auth_page)


def test_instructor_places_readiness_with_a_line_item(live_lti: LiveLti,
                                                      browser: Browser) -> None:
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    assert picker.status_code == 200 and "Add CareerPath to" in picker.text
    returned = browser.submit(picker, extra={"widget": "readiness", "line_item": "1"})
    assert returned.status_code == 200, returned.text[:300]
    token = returned.text.split('name="JWT" value="')[1].split('"')[0]
    header = jwt.get_unverified_header(token)
    with services(live_lti.tool).database.session() as session:
        from lti_tool.store.repositories.lti import LtiRepository

        assert header["kid"] == LtiRepository(session).active_key().kid
    done = browser.submit(returned)
    assert done.status_code == 200, done.text[:500]
    assert "Next-role readiness" in done.text and "graded (line item" in done.text
    state = platform_of(live_lti.sandbox).state
    with state.lock:
        placed = [link for link in state.course("course-101").links.values()
                  if link.custom.get("widget") == "readiness" and link.line_item_id]
    assert placed, "the readiness link with its line item was not placed"


def test_learner_cannot_answer_a_deep_linking_request(live_lti: LiveLti,
                                                      browser: Browser) -> None:
    learner = live_lti.users("learner")[0]
    refused = deep_linking_picker(live_lti, browser, learner)
    assert refused.status_code == 403
    assert "Only an instructor" in refused.text


def test_forged_csrf_token_is_refused(live_lti: LiveLti, browser: Browser) -> None:
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    refused = browser.submit(picker, extra={"widget": "badges", "csrf": "forged"})
    assert refused.status_code == 403 and "CSRF" in refused.text


def test_choosing_nothing_is_a_clear_422(live_lti: LiveLti, browser: Browser) -> None:
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    refused = browser.submit(picker)
    assert refused.status_code == 422 and "Choose at least one widget" in refused.text


def test_key_rotation_keeps_the_old_key_published(live_lti: LiveLti,
                                                  browser: Browser) -> None:
    from datetime import UTC, datetime

    from lti_tool.usecases.tool_keys import rotate_keys

    before = browser.get(f"{live_lti.tool_url}/lti/jwks").json()["keys"]
    assert len(before) == 1
    svc = services(live_lti.tool)
    new, previous = rotate_keys(svc.database, svc.settings.secret_key, datetime.now(UTC), 7)
    after = browser.get(f"{live_lti.tool_url}/.well-known/jwks.json").json()["keys"]
    assert {k["kid"] for k in after} == {new.kid, *previous}
    assert all("d" not in k for k in after)
    # the sandbox (as a platform) now verifies a deep-linking response signed with the new key
    instructor = live_lti.users("instructor")[0]
    picker = deep_linking_picker(live_lti, browser, instructor)
    returned = browser.submit(picker, extra={"widget": "badges"})
    assert jwt.get_unverified_header(
        returned.text.split('name="JWT" value="')[1].split('"')[0])["kid"] == new.kid
    done = browser.submit(returned)
    assert done.status_code == 200 and "Badges" in done.text


def test_retired_key_leaves_the_jwks(live_lti: LiveLti, browser: Browser) -> None:
    from datetime import UTC, datetime, timedelta

    from lti_tool.usecases.tool_keys import published_jwks, rotate_keys

    svc = services(live_lti.tool)
    browser.get(f"{live_lti.tool_url}/lti/jwks")
    new, _previous = rotate_keys(svc.database, svc.settings.secret_key, datetime.now(UTC), 1)
    later = published_jwks(svc.database, datetime.now(UTC) + timedelta(days=2))
    assert [k["kid"] for k in later["keys"]] == [new.kid]
