"""NRPS and AGS clients: parsing, filters, paging, /scores, media types, 401 → new token."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
import responses
from responses import matchers

from lti_tool.lms.ags import (
    CONTAINER_TYPE,
    RESULT_READ_SCOPE,
    SCORE_TYPE,
    AssignmentsGradesService,
    LineItem,
    Score,
    service_url,
)
from lti_tool.lms.errors import LmsAuthError
from lti_tool.lms.nrps import MEMBERSHIPS_TYPE, NamesRolesService
from lti_tool.lms.tokens import AccessTokens
from tests.unit.lms.lms_fakes import REGISTRATION, PinnedHttp, token_reply

MEMBERS_URL = "https://lms.example/api/lti/courses/5/names_and_roles"
ITEMS_URL = "https://lms.example/mod/lti/services.php/5/lineitems?type_id=1"
ITEM_URL = "https://lms.example/mod/lti/services.php/5/lineitems/9/lineitem?type_id=1"


def _bare(url: str) -> str:
    """`url` without its query (the query is checked by a matcher)."""
    return url.split("?")[0]


def _members_body() -> dict[str, object]:
    return {"id": MEMBERS_URL, "context": {"id": "ctx-5", "title": "T"}, "members": [
        {"user_id": "u1", "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
         "status": "Active", "name": "Ana Berg", "given_name": "Ana", "family_name": "Berg",
         "email": "ana@example.edu"},
        {"user_id": "u2", "status": "Deleted"},
        {"roles": ["nobody"]},
    ]}


def test_nrps_members_filters_and_differences(mocked: responses.RequestsMock, http: PinnedHttp,
                                              tokens: AccessTokens) -> None:
    token_reply(mocked)
    mocked.get(MEMBERS_URL, json=_members_body(),
               match=[matchers.query_param_matcher({"limit": "50", "role": "Learner"})],
               headers={"Link": f'<{MEMBERS_URL}?since=QmF6>; rel="differences"'})
    page = NamesRolesService(http, tokens, REGISTRATION).page(MEMBERS_URL, limit=50,
                                                              role="Learner")
    assert page.context_id == "ctx-5" and page.next_url is None
    assert page.differences_url == f"{MEMBERS_URL}?since=QmF6"
    first, deleted = page.members
    assert first.user_id == "u1" and first.roles[0].endswith("#Learner")
    assert (first.given_name, first.family_name, first.email) == ("Ana", "Berg", "ana@example.edu")
    assert deleted.status == "Deleted" and deleted.roles == () and deleted.name == ""
    request = mocked.calls[1].request
    assert request.headers["Accept"] == MEMBERSHIPS_TYPE
    assert request.headers["Authorization"] == "Bearer tok-1"


def test_nrps_pages_follow_next_as_is(mocked: responses.RequestsMock, http: PinnedHttp,
                                      tokens: AccessTokens) -> None:
    token_reply(mocked)
    second = f"{MEMBERS_URL}?pageToken=TWI6Mg&limit=2"
    mocked.get(MEMBERS_URL, json=_members_body(), headers={"Link": f'<{second}>; rel="next"'},
               match=[matchers.query_param_matcher({"limit": "2"})])
    mocked.get(second, json={"members": []},
               match=[matchers.query_param_matcher({"pageToken": "TWI6Mg", "limit": "2"})])
    pages = list(NamesRolesService(http, tokens, REGISTRATION).pages(MEMBERS_URL, limit=2))
    assert [len(p.members) for p in pages] == [2, 0]
    assert mocked.calls[2].request.url == second
    assert http.request_count == 3  # one token + two pages


def test_401_gets_a_new_token_and_retries_once(mocked: responses.RequestsMock,
                                               http: PinnedHttp, tokens: AccessTokens) -> None:
    token_reply(mocked, "old")
    mocked.get(MEMBERS_URL, status=401, json={"error": "invalid_token"},
               match=[matchers.header_matcher({"Authorization": "Bearer old"})])
    token_reply(mocked, "new")
    mocked.get(MEMBERS_URL, json={"members": []},
               match=[matchers.header_matcher({"Authorization": "Bearer new"})])
    NamesRolesService(http, tokens, REGISTRATION).page(MEMBERS_URL)
    assert http.request_count == 4


def test_second_401_is_raised(mocked: responses.RequestsMock, http: PinnedHttp,
                              tokens: AccessTokens) -> None:
    token_reply(mocked)
    mocked.get(MEMBERS_URL, status=401, json={"error": "insufficient_scope"})
    with pytest.raises(LmsAuthError):
        NamesRolesService(http, tokens, REGISTRATION).page(MEMBERS_URL)
    assert http.request_count == 4


def _ags(http: PinnedHttp, tokens: AccessTokens, **kwargs: object) -> AssignmentsGradesService:
    return AssignmentsGradesService(http, tokens, REGISTRATION, ITEMS_URL, **kwargs)  # type: ignore[arg-type]


def test_line_item_filters_in_query(mocked: responses.RequestsMock, http: PinnedHttp,
                                    tokens: AccessTokens) -> None:
    token_reply(mocked)
    mocked.get(_bare(ITEMS_URL), json=[{"id": ITEM_URL, "label": "Quiz", "scoreMaximum": 20,
                                 "tag": "quiz", "resourceLinkId": "l1"}],
               match=[matchers.query_param_matcher({"type_id": "1", "tag": "quiz",
                                                    "resource_link_id": "l1",
                                                    "resource_id": "r1", "limit": "10"})])
    items, next_url = _ags(http, tokens).line_items_page(tag="quiz", resource_link_id="l1",
                                                         resource_id="r1", limit=10)
    assert items == [LineItem(ITEM_URL, "Quiz", 20.0, "l1", None, "quiz")] and next_url is None
    assert mocked.calls[1].request.headers["Accept"] == CONTAINER_TYPE


@pytest.mark.parametrize(("item", "scores"), [
    (ITEM_URL, "https://lms.example/mod/lti/services.php/5/lineitems/9/lineitem/scores?type_id=1"),
    ("https://canvas.example/api/lti/courses/1/line_items/3",
     "https://canvas.example/api/lti/courses/1/line_items/3/scores"),
])
def test_scores_inserted_before_query(item: str, scores: str) -> None:
    assert service_url(item, "scores") == scores


def test_post_score_body_and_media_type(mocked: responses.RequestsMock, http: PinnedHttp,
                                        tokens: AccessTokens) -> None:
    token_reply(mocked)
    scores = service_url(ITEM_URL, "scores")
    mocked.post(scores, status=204)
    stamp = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    _ags(http, tokens).post_score(ITEM_URL, Score("u1", 15, 20, "Completed", "FullyGraded",
                                                  stamp, "well done"))
    request = mocked.calls[1].request
    assert request.url == scores
    assert request.headers["Content-Type"] == SCORE_TYPE
    assert json.loads(request.body) == {
        "userId": "u1", "scoreGiven": 15, "scoreMaximum": 20, "activityProgress": "Completed",
        "gradingProgress": "FullyGraded", "timestamp": "2026-03-01T09:30:00+02:00",
        "comment": "well done"}


def test_score_needs_aware_timestamp(http: PinnedHttp, tokens: AccessTokens) -> None:
    with pytest.raises(ValueError, match="time zone"):
        _ags(http, tokens).post_score(ITEM_URL, Score("u1", None, None, "Started", "NotReady",
                                                      datetime(2026, 1, 1)))  # noqa: DTZ001


def test_results_paging_reports_next_url(mocked: responses.RequestsMock, http: PinnedHttp,
                                         tokens: AccessTokens) -> None:
    token_reply(mocked)
    results = service_url(ITEM_URL, "results")
    second = results + "&page=Cursor2"
    row = {"id": f"{results}/u1", "userId": "u1", "resultScore": 7.5, "resultMaximum": 10}
    mocked.get(_bare(results), json=[row], headers={"Link": f'<{second}>; rel="next"'},
               match=[matchers.query_param_matcher({"type_id": "1", "limit": "1"})])
    mocked.get(second, json=[{"userId": "u2", "resultMaximum": 10,
                              "timestamp": "2026-01-01T00:00:00Z"}])
    pages = list(_ags(http, tokens).results(ITEM_URL, limit=1))
    assert [(len(rows), url) for rows, url in pages] == [(1, second), (1, None)]
    assert pages[0][0][0].result_score == 7.5
    assert pages[1][0][0].result_score is None
    assert pages[1][0][0].timestamp == "2026-01-01T00:00:00Z"


def test_results_user_filter_and_missing_scope(mocked: responses.RequestsMock,
                                               http: PinnedHttp, tokens: AccessTokens) -> None:
    token_reply(mocked)
    mocked.get(_bare(service_url(ITEM_URL, "results")), json=[],
               match=[matchers.query_param_matcher({"type_id": "1", "user_id": "u9"})])
    assert _ags(http, tokens, scopes=[RESULT_READ_SCOPE]).results_page(
        ITEM_URL, user_id="u9") == ([], None)
    with pytest.raises(LmsAuthError, match="score"):
        _ags(http, tokens, scopes=[RESULT_READ_SCOPE]).post_score(
            ITEM_URL, Score("u1", 1, 1, "Completed", "FullyGraded", datetime.now(UTC)))


def test_create_update_delete(mocked: responses.RequestsMock, http: PinnedHttp,
                              tokens: AccessTokens) -> None:
    token_reply(mocked)
    created = {"id": ITEM_URL, "label": "Quiz", "scoreMaximum": 20, "tag": "quiz"}
    mocked.post(ITEMS_URL, status=201, json=created)
    mocked.put(ITEM_URL, json={**created, "label": "Quiz 2"})
    mocked.delete(ITEM_URL, status=204)
    service = _ags(http, tokens)
    item = service.create_line_item("Quiz", 20, tag="quiz")
    assert json.loads(mocked.calls[1].request.body) == {"label": "Quiz", "scoreMaximum": 20,
                                                        "tag": "quiz"}
    updated = service.update_line_item(LineItem(item.id, "Quiz 2", 20, tag="quiz"))
    assert updated.label == "Quiz 2"
    service.delete_line_item(item.id)
    assert http.request_count == 4


def test_a_page_of_results_parses_every_shape_a_platform_sends() -> None:
    from lti_tool.lms.ags import Result, parse_results
    from lti_tool.lms.errors import LmsBadResponse

    page = parse_results([
        {"id": "r1", "userId": "u1", "resultScore": 7.5, "resultMaximum": 10,
         "timestamp": "2026-12-07T06:00:00Z", "comment": "ok"},
        {"userId": 42, "resultScore": "3", "resultMaximum": True},
        {"userId": "u3", "resultScore": None, "timestamp": 1733551200, "comment": 7},
    ])
    assert page == [
        Result("r1", "u1", 7.5, 10.0, "2026-12-07T06:00:00Z", "ok"),
        Result("", "42", 3.0, None, None, None),
        Result("", "u3", None, None, "1733551200", "7")]
    with pytest.raises(LmsBadResponse, match="lacks userId"):
        parse_results([{"id": "r1", "userId": "u1"}, {"resultScore": 1.0}], "https://lms")
