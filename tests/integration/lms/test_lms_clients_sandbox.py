"""The AGS and NRPS clients against the live sandbox LMS (tokens signed with the tool's key)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from lti_tool.bootstrap import outbound_allow, services
from lti_tool.cache import MemoryCache
from lti_tool.lms.ags import AssignmentsGradesService, Score
from lti_tool.lms.errors import (
    LmsAuthError,
    LmsBadResponse,
    LmsConflict,
    LmsConnectionError,
    LmsServerError,
    LmsServiceError,
)
from lti_tool.lms.http import HttpClient, new_session
from lti_tool.lms.nrps import NamesRolesService
from lti_tool.lms.tokens import AccessTokens, ServiceRegistration
from lti_tool.sandbox import platform_of
from lti_tool.usecases.tool_keys import signing_key
from tests.integration.conftest import LiveLti

COURSE = "course-101"


@dataclass
class Clients:
    """The service clients wired to the live sandbox, and its admin URL."""

    live: LiveLti
    http: HttpClient
    tokens: AccessTokens
    registration: ServiceRegistration
    delays: list[float]

    def admin(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = requests.post(f"{self.live.sandbox_url}/_sandbox{path}", json=body or {},
                                 timeout=10)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def stats(self) -> dict[str, int]:
        answer = requests.get(f"{self.live.sandbox_url}/_sandbox/stats", timeout=10).json()
        return {**answer["requests"], "tokens_issued": answer["tokens_issued"]}

    def fault(self, kind: str, path_prefix: str = "/api/", **extra: Any) -> None:
        self.admin("/faults", {"kind": kind, "path_prefix": path_prefix, **extra})

    def member_count(self, course: str = COURSE) -> int:
        state = self.live.sandbox.extensions["careerpath_sandbox"].state
        with state.lock:
            return sum(1 for m in state.course(course).members.values()
                       if m.in_context and m.status != "Deleted")

    def nrps(self) -> NamesRolesService:
        return NamesRolesService(self.http, self.tokens, self.registration)

    def ags(self, course: str = COURSE) -> AssignmentsGradesService:
        url = f"{self.live.sandbox_url}/api/courses/{course}/lineitems"
        return AssignmentsGradesService(self.http, self.tokens, self.registration, url)

    def members_url(self, course: str = COURSE) -> str:
        return f"{self.live.sandbox_url}/api/courses/{course}/memberships"


def _clients(live: LiveLti, **http_options: Any) -> Clients:
    tool = services(live.tool)
    delays: list[float] = []
    http = HttpClient(new_session(outbound_allow(tool.settings)), sleep=delays.append,
                      backoff_base=0.01, backoff_cap=0.05, **http_options)
    key = signing_key(tool.database, tool.settings.secret_key, datetime.now(UTC))
    tokens = AccessTokens(http, MemoryCache(), lambda: key)
    platform = live.platform.registration
    registration = ServiceRegistration(platform.id, platform.client_id,
                                       platform.auth_token_url, None)
    clients = Clients(live, http, tokens, registration, delays)
    clients.admin("/stats/reset")
    return clients


@pytest.fixture
def lms(live_lti: LiveLti) -> Clients:
    return _clients(live_lti)


def test_nrps_all_pages_then_differences(lms: Clients) -> None:
    pages = list(lms.nrps().pages(lms.members_url(), limit=5))
    members = [m for page in pages for m in page.members]
    count = lms.member_count()
    assert count > 10 and [len(page.members) for page in pages] == [5, 5, count - 10]
    assert len({m.user_id for m in members}) == count and pages[0].context_id == COURSE
    assert all(page.differences_url is None for page in pages[:-1])
    assert pages[-1].differences_url and pages[-1].next_url is None
    learner = lms.live.users("learner")[0]
    lms.admin(f"/courses/{COURSE}/memberships/{learner}", {"status": "Inactive"})
    changed = lms.nrps().page(pages[-1].differences_url)
    assert [(m.user_id, m.status) for m in changed.members] == [(learner, "Inactive")]
    assert lms.stats() == {"nrps": 4, "token": 1, "tokens_issued": 1}
    assert lms.http.request_count == 5


def test_nrps_role_filter(lms: Clients) -> None:
    page = lms.nrps().page(lms.members_url(), role="Instructor")
    assert len(page.members) == 1 and page.members[0].roles[0].endswith("#Instructor")


def test_ags_line_items_with_filters_and_paging(lms: Clients) -> None:
    ags = lms.ags()
    assert [i.label for i in ags.line_items(tag="quiz")] == [
        "SQL Fundamentals quiz", "Statistics checkpoint"]
    linked = list(ags.line_items(resource_link_id="link-readiness"))
    assert [i.tag for i in linked] == ["reflection"]
    assert [i.resource_id for i in ags.line_items(resource_id="daf-2")] == ["daf-2"]
    assert len(list(ags.line_items(limit=2))) == 6
    assert lms.stats() == {"ags.lineitems": 6, "token": 1, "tokens_issued": 1}


def test_results_paging_over_a_seeded_course(lms: Clients) -> None:
    lms.admin("/load", {"learners": 250, "line_items": 2, "course_id": "load-a"})
    lms.admin("/stats/reset")
    ags = lms.ags("load-a")
    item = next(ags.line_items(tag="t1"))
    pages = list(ags.results(item.id, limit=100))
    state = lms.live.sandbox.extensions["careerpath_sandbox"].state
    expected = len(state.course("load-a").line_items[item.id.rsplit("/", 1)[1]].results)
    assert sum(len(rows) for rows, _next in pages) == expected
    assert len(pages) == -(-expected // 100) and pages[-1][1] is None
    assert all(next_url for _rows, next_url in pages[:-1])
    assert lms.stats() == {"ags.lineitems": 1, "ags.results": len(pages), "token": 1,
                           "tokens_issued": 1}


def test_post_score_then_older_timestamp_is_409(lms: Clients) -> None:
    platform_of(lms.live.sandbox).default_registration.flavour = "moodle"
    ags = lms.ags()
    item = next(ags.line_items(tag="project"))
    assert item.id.endswith("/lineitem?type_id=1")  # Moodle's id: /scores goes before `?`
    learner = lms.live.users("learner")[0]
    now = datetime.now(UTC)
    ags.post_score(item.id, Score(learner, 88, 100, "Completed", "FullyGraded", now, "Good"))
    rows, _next = ags.results_page(item.id, user_id=learner)
    assert rows[0].result_score == 88.0 and rows[0].comment == "Good"
    older = Score(learner, 10, 100, "Completed", "FullyGraded", now - timedelta(minutes=5))
    with pytest.raises(LmsServiceError) as caught:
        ags.post_score(item.id, older)
    assert isinstance(caught.value, LmsConflict) and caught.value.status == 409
    assert lms.stats()["token"] == 1


@pytest.mark.parametrize(("kind", "extra"), [
    ("429", {"retry_after": 1, "count": 2}),
    ("403_throttle", {"count": 2}),
    ("500", {"count": 3}),
])
def test_transient_faults_end_in_success(lms: Clients, kind: str, extra: dict[str, Any]) -> None:
    lms.fault(kind, "/api/courses/course-101/memberships", **extra)
    assert len(lms.nrps().page(lms.members_url()).members) == lms.member_count()
    assert len(lms.delays) == extra["count"]
    if kind == "429":
        assert lms.delays == [1.0, 1.0]
    assert lms.stats()["nrps"] == extra["count"] + 1


def test_faults_beyond_the_retries_raise(lms: Clients) -> None:
    lms.fault("500", "/api/courses/course-101/memberships", count=10)
    with pytest.raises(LmsServerError) as caught:
        lms.nrps().page(lms.members_url())
    assert caught.value.status == 500 and "server_error" in caught.value.body_excerpt
    assert lms.stats()["nrps"] == lms.http.max_retries + 1


def test_slow_answer_is_retried_then_times_out(live_lti: LiveLti) -> None:
    lms = _clients(live_lti, timeout=(2.0, 0.5), max_retries=1)
    lms.fault("slow", "/api/courses/course-101/memberships", delay=1.0)
    assert len(lms.nrps().page(lms.members_url()).members) == lms.member_count()
    lms.fault("slow", "/api/courses/course-101/memberships", delay=1.0, count=2)
    with pytest.raises(LmsConnectionError):
        lms.nrps().page(lms.members_url())


def test_malformed_json_is_a_bad_response(lms: Clients) -> None:
    lms.fault("malformed", "/api/courses/course-101/memberships")
    with pytest.raises(LmsBadResponse):
        lms.nrps().page(lms.members_url())


def test_token_refusal_then_recovery(lms: Clients, caplog: pytest.LogCaptureFixture) -> None:
    lms.fault("token_401", "/token")
    with pytest.raises(LmsAuthError) as caught:
        lms.nrps().page(lms.members_url())
    assert "refused the token request" in str(caught.value) and "eyJ" not in str(caught.value)
    assert "invalid_client" not in str(caught.value) and "invalid_client" in caplog.text
    assert len(lms.nrps().page(lms.members_url()).members) == lms.member_count()


def test_service_401_gets_a_new_token(lms: Clients) -> None:
    lms.nrps().page(lms.members_url())
    lms.fault("token_401", "/api/courses/course-101/memberships")
    lms.nrps().page(lms.members_url())
    assert lms.stats() == {"nrps": 3, "token": 2, "tokens_issued": 2}
