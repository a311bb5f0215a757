"""The SDK without a network: models, paging, error mapping, retries and idempotency keys."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from careerpath_sdk import (
    APIConnectionError,
    Client,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from careerpath_sdk.transport import Transport

BASE = "https://tool.example"


def _client(slept: list[float], retries: int = 3) -> Client:
    """A client whose sleeps are recorded and whose jitter is pinned to 1."""
    client = Client(BASE, "cp_abc_secret", max_retries=retries, sleep=slept.append)
    client.transport.jitter = lambda: 1.0  # type: ignore[method-assign]
    return client


@responses.activate
def test_models_are_typed() -> None:
    responses.get(f"{BASE}/api/v1/people/1/readiness/2", json={
        "person_id": 1, "role_id": 2, "role_name": "PM II", "score": 0.5, "ready": False,
        "threshold": 0.8, "failing_gates": [{"kind": "threshold", "required": 0.8,
                                             "actual": 0.5, "competency_id": None}],
        "gaps": [{"competency_id": 3, "competency_name": "SQL", "current": 1.0,
                  "required": 3.0, "weight": 1, "shortfall": 2, "impact": 2,
                  "readiness_gain": 0.4, "new_field": True}],
        "checklist": [], "recommendations": []})
    found = Client(BASE, "k").readiness.get(1, 2)
    assert found.gaps[0].competency_name == "SQL" and found.failing_gates[0].kind == "threshold"
    assert responses.calls[0].request.headers["Authorization"] == "Bearer k"


@responses.activate
def test_paginated_list_follows_link_lazily() -> None:
    page2 = f"{BASE}/api/v1/people?page=2&per_page=100"
    responses.get(f"{BASE}/api/v1/people", json=[{"id": 1, "sub": "a"}],
                  headers={"Link": f'<{page2}>; REL="next"', "X-Total-Count": "2"})
    responses.get(page2, json=[{"id": 2, "sub": "b"}], headers={"X-Total-Count": "2"})
    people = Client(BASE, "k").people.list()
    assert len(responses.calls) == 0
    assert people.first().sub == "a" and len(responses.calls) == 1
    assert [p.id for p in people] == [1, 2] and people.total == 2


@responses.activate
def test_errors_map_to_classes_with_request_id() -> None:
    responses.post(f"{BASE}/api/v1/roles", status=422, headers={"X-Request-Id": "r-1"}, json={
        "code": "invalid_input", "status": 422, "message": "bad", "errors": {"name": ["x"]}})
    responses.get(f"{BASE}/api/v1/roles/9", status=404, json={
        "code": "not_found", "status": 404, "message": "role 9 does not exist", "errors": {}})
    client = Client(BASE, "k")
    with pytest.raises(ValidationError) as invalid:
        client.roles.create("")
    assert invalid.value.errors == {"name": ["x"]} and invalid.value.request_id == "r-1"
    assert invalid.value.status == 422 and invalid.value.code == "invalid_input"
    with pytest.raises(NotFoundError):
        client.roles.get(9)


@responses.activate
def test_retries_5xx_with_backoff_and_one_idempotency_key() -> None:
    url = f"{BASE}/api/v1/people"
    responses.post(url, status=503, json={"code": "x", "status": 503, "message": "down",
                                          "errors": {}})
    responses.post(url, status=502, body="bad gateway")
    responses.post(url, status=201, json={"id": 5, "sub": "s"})
    slept: list[float] = []
    person = _client(slept).people.upsert("s")
    assert person.id == 5 and slept == [0.5, 1.0]
    keys = {call.request.headers["Idempotency-Key"] for call in responses.calls}
    assert len(keys) == 1 and len(responses.calls) == 3
    assert json.loads(responses.calls[0].request.body) == {"sub": "s"}


@responses.activate
def test_429_honours_retry_after_then_raises() -> None:
    url = f"{BASE}/api/v1/scales"
    for _ in range(3):
        responses.get(url, status=429, headers={"Retry-After": "7"},
                      json={"code": "rate_limited", "status": 429, "message": "slow",
                            "errors": {}})
    slept: list[float] = []
    with pytest.raises(RateLimitError) as limited:
        _client(slept, retries=2).scales.list()
    assert slept == [7.0, 7.0] and limited.value.retry_after == 7.0


@responses.activate
def test_connection_errors_are_retried_then_raised() -> None:
    responses.get(f"{BASE}/api/v1/scales", body=requests.ConnectionError("refused"))
    slept: list[float] = []
    with pytest.raises(APIConnectionError):
        _client(slept, retries=3).scales.list()
    assert slept == [0.5, 1.0, 2.0]


@responses.activate
def test_server_error_after_retries() -> None:
    responses.get(f"{BASE}/api/v1/scales", status=500, json={
        "code": "internal_error", "status": 500, "message": "oops", "errors": {}})
    with pytest.raises(ServerError):
        _client([], retries=1).scales.list()


def test_jitter_stays_in_range() -> None:
    transport = Transport(BASE, "k")
    assert all(0.5 <= transport.jitter() < 1.0 for _ in range(100))
    assert transport.backoff(10) <= transport.backoff_cap


@responses.activate
def test_a_retry_after_above_the_cap_raises_at_once() -> None:
    url = f"{BASE}/api/v1/scales"
    responses.get(url, status=429, headers={"Retry-After": "3600"},
                  json={"code": "rate_limited", "status": 429, "message": "slow", "errors": {}})
    responses.get(url, status=200, json=[])
    slept: list[float] = []
    client = Client(BASE, "cp_abc_secret", max_retries=3, sleep=slept.append,
                    max_retry_after=60)
    with pytest.raises(RateLimitError) as limited:
        client.scales.list()
    assert slept == [] and limited.value.retry_after == 3600.0
    assert len(responses.calls) == 1


@responses.activate
def test_a_retry_after_within_the_cap_is_slept_through() -> None:
    url = f"{BASE}/api/v1/scales"
    responses.get(url, status=429, headers={"Retry-After": "60"},
                  json={"code": "rate_limited", "status": 429, "message": "slow", "errors": {}})
    responses.get(url, status=200, json=[])
    slept: list[float] = []
    client = Client(BASE, "cp_abc_secret", sleep=slept.append, max_retry_after=60)
    assert client.scales.list() == []
    assert slept == [60.0]


@responses.activate
def test_new_namespaces_call_their_endpoints() -> None:
    responses.post(f"{BASE}/api/v1/courses/5/syncs", status=202,
                   json={"course_id": 5, "job_id": "j-1", "status": "queued", "trigger": "api"})
    responses.get(f"{BASE}/api/v1/courses/5/syncs/9", json={
        "id": 9, "course_id": 5, "status": "succeeded", "counts": {"members": 3},
        "created_at": "2026-12-07T00:00:00+00:00"})
    responses.delete(f"{BASE}/api/v1/api-keys/4", status=204)
    responses.delete(f"{BASE}/api/v1/frameworks/1/competencies/2?force=true",
                     json={"id": 2, "outcome": "archived"})
    responses.patch(f"{BASE}/api/v1/frameworks/1/competencies/2", json={
        "id": 1, "name": "F", "competencies": [{"id": 2, "code": "C", "name": "C",
                                                "badge_level": None}]})
    client = _client([])
    assert client.syncs.start(5).job_id == "j-1"
    run = client.syncs.get(5, 9)
    assert run.counts == {"members": 3} and run.created_at is not None
    client.api_keys.revoke(4)
    assert client.frameworks.delete_competency(1, 2, force=True).outcome == "archived"
    client.frameworks.update_competency(1, 2, badge_level=None)
    assert json.loads(responses.calls[-1].request.body) == {"badge_level": None}
