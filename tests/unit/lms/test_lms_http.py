"""HttpClient: retries with backoff, Retry-After, Canvas throttling, status → exception."""

from __future__ import annotations

import pytest
import requests
import responses

from lti_tool.lms.errors import (
    LmsAuthError,
    LmsBadResponse,
    LmsConflict,
    LmsConnectionError,
    LmsNotFound,
    LmsRateLimited,
    LmsServerError,
)
from lti_tool.lms.http import USER_AGENT, HttpClient, decode_json, retry_after
from tests.unit.lms.lms_fakes import PinnedHttp

URL = "https://lms.example/api/lti/courses/1/names_and_roles"
THROTTLED = "403 Forbidden (Rate Limit Exceeded)"


def test_429_waits_for_retry_after_then_succeeds(mocked: responses.RequestsMock,
                                                 http: PinnedHttp) -> None:
    mocked.get(URL, status=429, headers={"Retry-After": "3"})
    mocked.get(URL, json={"ok": True})
    assert http.request("GET", URL).json() == {"ok": True}
    assert http.delays == [3.0]
    assert http.request_count == 2


def test_retry_after_as_http_date_and_capped() -> None:
    response = requests.Response()
    response.headers["Retry-After"] = "Wed, 21 Oct 2015 07:28:10 GMT"
    assert retry_after(response, now=1445412480.0) == 10.0
    response.headers["Retry-After"] = "3600"
    client = PinnedHttp(retry_after_cap=30.0)
    assert client.backoff(0, response) == 30.0


def test_5xx_backs_off_exponentially_then_succeeds(mocked: responses.RequestsMock,
                                                   http: PinnedHttp) -> None:
    for status in (500, 502, 503):
        mocked.get(URL, status=status)
    mocked.get(URL, json=[])
    http.request("GET", URL)
    assert http.delays == [0.5, 1.0, 2.0]


def test_connection_error_then_success(mocked: responses.RequestsMock, http: PinnedHttp) -> None:
    mocked.get(URL, body=requests.ConnectionError("refused"))
    mocked.get(URL, json=[])
    assert http.request("GET", URL).status_code == 200
    assert http.delays == [0.5]


def test_read_timeout_on_post_is_not_retried(mocked: responses.RequestsMock,
                                             http: PinnedHttp) -> None:
    mocked.post(URL, body=requests.ReadTimeout("slow"))
    with pytest.raises(LmsConnectionError):
        http.request("POST", URL, json_body={})
    assert http.request_count == 1


def test_canvas_403_throttle_then_success(mocked: responses.RequestsMock,
                                          http: PinnedHttp) -> None:
    mocked.get(URL, status=403, body=THROTTLED)
    mocked.get(URL, status=403, body="", headers={"X-Rate-Limit-Remaining": "0.0"})
    mocked.get(URL, json=[])
    http.request("GET", URL)
    assert http.delays == [0.5, 1.0]


def test_gives_up_after_max_retries_with_excerpt(mocked: responses.RequestsMock) -> None:
    client = PinnedHttp(max_retries=2)
    mocked.get(URL, status=429, json={"error": "rate_limited", "detail": "x" * 900})
    with pytest.raises(LmsRateLimited) as caught:
        client.request("GET", URL)
    assert client.request_count == 3
    assert caught.value.status == 429
    assert caught.value.url == URL
    assert "rate_limited" in caught.value.body_excerpt
    assert len(caught.value.body_excerpt) <= 300


def test_backoff_is_capped(mocked: responses.RequestsMock) -> None:
    client = PinnedHttp(max_retries=6, backoff_cap=3.0)
    mocked.get(URL, status=503)
    with pytest.raises(LmsServerError):
        client.request("GET", URL)
    assert client.delays == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def test_connection_error_after_retries(mocked: responses.RequestsMock) -> None:
    client = PinnedHttp(max_retries=1)
    mocked.get(URL, body=requests.ConnectTimeout("no route"))
    with pytest.raises(LmsConnectionError):
        client.request("GET", URL)
    assert client.request_count == 2


@pytest.mark.parametrize(("status", "body", "kind"), [
    (401, '{"error": "invalid_token"}', LmsAuthError),
    (403, "not allowed to see this course", LmsAuthError),
    (404, "no such course", LmsNotFound),
    (409, "timestamp must be later", LmsConflict),
])
def test_status_mapping_without_retry(mocked: responses.RequestsMock, http: PinnedHttp,
                                      status: int, body: str, kind: type) -> None:
    mocked.get(URL, status=status, body=body)
    with pytest.raises(kind) as caught:
        http.request("GET", URL)
    assert caught.value.status == status
    assert http.request_count == 1 and http.delays == []


def test_errors_never_show_tokens(mocked: responses.RequestsMock, http: PinnedHttp) -> None:
    jwt_like = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    mocked.get(URL, status=401, body=f'{{"access_token": "secret-123", "echo": "{jwt_like}", '
                                     f'"auth": "Bearer abc.def"}}')
    with pytest.raises(LmsAuthError) as caught:
        http.request("GET", URL, headers={"Authorization": "Bearer abc.def"})
    text = str(caught.value)
    for secret in ("secret-123", jwt_like, "abc.def"):
        assert secret not in text and secret not in caught.value.body_excerpt


def test_user_agent_and_timeouts(mocked: responses.RequestsMock) -> None:
    mocked.get(URL, json=[])
    HttpClient(timeout=(1.0, 2.0)).request("GET", URL)
    assert mocked.calls[0].request.headers["User-Agent"] == USER_AGENT
    assert mocked.calls[0].request.req_kwargs["timeout"] == (1.0, 2.0)


def test_malformed_json_is_bad_response(mocked: responses.RequestsMock,
                                        http: PinnedHttp) -> None:
    mocked.get(URL, body='{"id": "trunc', content_type="application/json")
    with pytest.raises(LmsBadResponse):
        decode_json(http.request("GET", URL))


def test_fetch_json_keeps_its_contract(mocked: responses.RequestsMock) -> None:
    mocked.get(URL, status=404)
    with pytest.raises(requests.HTTPError):
        HttpClient().fetch_json(URL)


def test_jitter_stays_within_half_and_whole() -> None:
    client = HttpClient()
    assert all(2.0 <= client.jitter(4.0) <= 4.0 for _ in range(50))
