"""AGS/NRPS URLs (from a launch or an LMS answer) must be on the platform's hosts."""

from __future__ import annotations

from dataclasses import replace

import pytest
import responses

from lti_tool.lms.ags import AssignmentsGradesService
from lti_tool.lms.errors import LmsAddressRefused
from lti_tool.lms.nrps import MEMBERSHIPS_TYPE, NamesRolesService
from lti_tool.lms.tokens import AccessTokens, ServiceRegistration
from tests.unit.lms.lms_fakes import REGISTRATION, PinnedHttp, token_reply

SCHOOL = replace(REGISTRATION, service_hosts=frozenset({"school.instructure.example"}))


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://lms.example/api/lti/courses/1/names_and_roles", True),  # the token URL's host
    ("https://LMS.example./x", True),
    ("https://school.instructure.example/api/lti/courses/1/line_items", True),
    ("https://evil.example/lms.example/x", False),
    ("https://lms.example.evil.example/x", False),
    ("https://user@evil.example/x", False),
    ("https://169.254.169.254/latest/meta-data", False),
    ("not a url", False),
])
def test_the_hosts_a_registration_allows(url: str, allowed: bool) -> None:
    assert SCHOOL.allows(url) is allowed


def test_an_nrps_url_on_another_host_sends_no_token(mocked: responses.RequestsMock,
                                                    http: PinnedHttp,
                                                    tokens: AccessTokens) -> None:
    token_reply(mocked)
    with pytest.raises(LmsAddressRefused, match="evil.example"):
        NamesRolesService(http, tokens, REGISTRATION).page("https://evil.example/members")
    assert len(mocked.calls) == 0


def test_a_next_page_link_to_another_host_is_not_followed(mocked: responses.RequestsMock,
                                                          http: PinnedHttp,
                                                          tokens: AccessTokens) -> None:
    token_reply(mocked)
    mocked.get("https://lms.example/members", json={"members": []},
               content_type=MEMBERSHIPS_TYPE,
               headers={"Link": '<https://evil.example/members?p=2>; rel="next"'})
    pages = NamesRolesService(http, tokens, REGISTRATION).pages("https://lms.example/members")
    assert next(pages).next_url == "https://evil.example/members?p=2"
    with pytest.raises(LmsAddressRefused):
        next(pages)
    assert [call.request.url for call in mocked.calls][-1] == "https://lms.example/members"


def test_a_line_item_id_on_another_host_is_not_read(mocked: responses.RequestsMock,
                                                      http: PinnedHttp,
                                                      tokens: AccessTokens) -> None:
    token_reply(mocked)
    ags = AssignmentsGradesService(http, tokens, REGISTRATION, "https://lms.example/items")
    with pytest.raises(LmsAddressRefused):
        ags.results_page("https://evil.example/items/1")
    assert len(mocked.calls) == 0


def test_listed_hosts_are_reached(mocked: responses.RequestsMock, http: PinnedHttp,
                                  tokens: AccessTokens) -> None:
    token_reply(mocked)
    url = "https://school.instructure.example/members"
    mocked.get(url, json={"members": [{"user_id": "u1"}]}, content_type=MEMBERSHIPS_TYPE)
    registration = ServiceRegistration(7, "client-7", REGISTRATION.token_url,
                                       service_hosts=frozenset({"school.instructure.example"}))
    assert NamesRolesService(http, tokens, registration).page(url).members[0].user_id == "u1"
