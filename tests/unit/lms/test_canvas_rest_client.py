"""CanvasRest over a mocked transport: Link paging, a foreign next link, a 401 retried once
with a refreshed token, users by LTI id."""

from __future__ import annotations

import pytest
import responses

from lti_tool.lms.canvas_rest import CanvasRest
from lti_tool.lms.errors import LmsAuthError, LmsBadResponse
from tests.unit.lms.lms_fakes import PinnedHttp

BASE = "https://school.instructure.com"
SUBMISSIONS = f"{BASE}/api/v1/courses/lti_context_id:ctx-1/students/submissions"


def graded(assignment: int, user: int, score: float) -> dict:
    return {"assignment_id": assignment, "user_id": user, "workflow_state": "graded",
            "score": score, "graded_at": "2026-01-01T00:00:00Z"}


class Tokens:
    def __init__(self) -> None:
        self.fresh = 0

    def __call__(self, fresh: bool) -> str:
        self.fresh += fresh
        return f"token-{self.fresh}"


def test_submissions_follow_link_next_to_the_end() -> None:
    with responses.RequestsMock() as mocked:
        mocked.get(SUBMISSIONS, json=[graded(1, 5, 3.0)], headers={"Link": (
            f'<{SUBMISSIONS}?student_ids%5B%5D=all&page=1&per_page=1>; rel="current",'
            f'<{SUBMISSIONS}?student_ids%5B%5D=all&page=2&per_page=1>; rel="next",'
            f'<{SUBMISSIONS}?student_ids%5B%5D=all&page=1&per_page=1>; rel="first"')})
        api = CanvasRest(PinnedHttp(), BASE, Tokens())
        first, following = api.submissions_page("ctx-1", None)
        assert [o.score for o in first] == [3.0]
        assert following == f"{SUBMISSIONS}?student_ids%5B%5D=all&page=2&per_page=1"
        assert mocked.calls[0].request.headers["Authorization"] == "Bearer token-0"
        assert "student_ids%5B%5D=all" in mocked.calls[0].request.url
        mocked.get(following, json=[graded(1, 6, 4.0)])
        second, last = api.submissions_page("ctx-1", following)
        assert [o.lms_user_id for o in second] == ["6"] and last is None


def test_a_next_link_to_another_host_is_refused() -> None:
    with responses.RequestsMock() as mocked:
        mocked.get(SUBMISSIONS, json=[], headers={
            "Link": '<https://elsewhere.example/steal?page=2>; rel="next"'})
        with pytest.raises(LmsBadResponse, match="another host"):
            CanvasRest(PinnedHttp(), BASE, Tokens()).submissions_page("ctx-1", None)


def test_401_is_retried_once_with_a_fresh_token_then_fails_clearly() -> None:
    tokens = Tokens()
    with responses.RequestsMock() as mocked:
        mocked.get(SUBMISSIONS, status=401, json={"errors": [{"message": "Invalid access token."}]})
        mocked.get(SUBMISSIONS, json=[graded(2, 5, 1.0)])
        found, _ = CanvasRest(PinnedHttp(), BASE, tokens).submissions_page("ctx-1", None)
        assert len(found) == 1 and tokens.fresh == 1
        assert mocked.calls[1].request.headers["Authorization"] == "Bearer token-1"
    with responses.RequestsMock() as mocked:
        mocked.get(SUBMISSIONS, status=401, json={"errors": [{"message": "Invalid access token."}]})
        with pytest.raises(LmsAuthError, match="careerpath platform connect"):
            CanvasRest(PinnedHttp(), BASE, Tokens()).submissions_page("ctx-1", None)
        assert len(mocked.calls) == 2


def test_users_by_lti_1_3_id() -> None:
    with responses.RequestsMock() as mocked:
        mocked.get(f"{BASE}/api/v1/users/lti_1_3_id:abc%2F1", json={"id": 42, "name": "A"})
        mocked.get(f"{BASE}/api/v1/users/lti_1_3_id:gone", status=404,
                   json={"errors": [{"message": "The specified resource does not exist."}]})
        api = CanvasRest(PinnedHttp(), BASE, Tokens())
        assert api.user_id_for_sub("abc/1") == "42"
        assert api.user_id_for_sub("gone") is None
