"""Attack: a deep-linking launch whose return URL is `javascript:` or another site.

The return page puts the URL in a form's action and submits it: `javascript:` would run in
the tool's origin, a foreign https URL would receive the signed items. Both are refused
with a 4xx page before anything is signed; an https URL on the platform's host works.
"""

from __future__ import annotations

import pytest

from lti_tool.lti import claims as c
from lti_tool.web.csrf import csrf_token
from tests.security.world import INSTRUCTOR, SECRET, World, browser_client, open_session

REFUSED = {
    "javascript": "javascript:alert(document.domain)",
    "javascript, mixed case": "JaVaScRiPt:fetch('//evil.example')",
    "data": "data:text/html,<script>alert(1)</script>",
    "foreign https": "https://evil.example/deep_links/return",
    "look-alike host": "https://lms-t1.example.evil.example/return",
    "credentials trick": "https://lms-t1.example@evil.example/return",
    "http on the platform's host": "http://lms-t1.example/deep_links/return",
    "relative": "/deep_links/return",
}


def deep_linking(world: World, return_url: str) -> tuple[str, object]:
    launch = open_session(world, [INSTRUCTOR], context="ctx-x", sub="sub-xavier",
                          message_type=c.DEEP_LINKING_REQUEST, extra={c.DEEP_LINKING_SETTINGS: {
                              "deep_link_return_url": return_url,
                              "accept_types": ["ltiResourceLink"], "accept_multiple": True}})
    return launch.launch_id, browser_client(world)


def post_items(world: World, return_url: str):  # noqa: ANN201
    launch_id, client = deep_linking(world, return_url)
    return client.post("/lti/deep_link", data={  # type: ignore[attr-defined]
        "launch": launch_id, "csrf": csrf_token(SECRET, launch_id), "widget": "readiness"})


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_return_url_off_the_platform_is_refused(world: World, case: str) -> None:
    url = REFUSED[case]
    page = post_items(world, url)
    text = page.get_data(as_text=True)
    assert 400 <= page.status_code < 500, (case, page.status_code)
    assert "What failed:" in text
    assert 'name="JWT"' not in text  # nothing signed reaches the page
    assert url not in text and url.replace("&", "&amp;") not in text


def test_the_picker_refuses_it_before_the_instructor_chooses(world: World) -> None:
    from lti_tool.bootstrap import services
    from lti_tool.lti.errors import LaunchError
    from lti_tool.usecases.launch import launch_session
    from lti_tool.web.launch_pages import page_for
    from tests.security.world import BROWSER_KEY

    launch_id, _client = deep_linking(world, REFUSED["javascript"])
    launch = launch_session(services(world.app).cache, launch_id, BROWSER_KEY)
    with world.app.test_request_context("/lti/launch"), pytest.raises(LaunchError) as refused:
        page_for(launch)
    assert refused.value.status == 400


def test_https_on_the_platforms_host_is_accepted(world: World) -> None:
    """Control: the same request with the platform's own https URL is signed and posted."""
    page = post_items(world, "https://lms-t1.example/deep_links/return?course=1")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    assert 'action="https://lms-t1.example/deep_links/return?course=1"' in page.get_data(
        as_text=True)
    assert 'name="JWT"' in page.get_data(as_text=True)
