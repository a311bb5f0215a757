"""Injected faults: throttling, errors, slowness, malformed JSON, token 401s."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from flask.testing import FlaskClient
from tool_side import bearer, token_form

from lti_tool.sandbox import DEMO_COURSE

LINEITEMS = f"/api/courses/{DEMO_COURSE}/lineitems"


@pytest.fixture
def auth(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> dict[str, str]:
    return bearer(client, tool_key)


def arm(client: FlaskClient, **fault: object) -> None:
    assert client.post("/_sandbox/faults", json=fault).status_code == 201


def test_429_with_retry_after(client: FlaskClient, auth: dict[str, str]) -> None:
    arm(client, kind="429", count=2, retry_after=7)
    for _ in range(2):
        response = client.get(LINEITEMS, headers=auth)
        assert response.status_code == 429 and response.headers["Retry-After"] == "7"
    assert client.get(LINEITEMS, headers=auth).status_code == 200


def test_canvas_403_throttle(client: FlaskClient, auth: dict[str, str]) -> None:
    arm(client, kind="403_throttle")
    response = client.get(LINEITEMS, headers=auth)
    assert response.status_code == 403 and response.headers["X-Rate-Limit-Remaining"] == "0"
    assert response.get_data(as_text=True) == "403 Forbidden (Rate Limit Exceeded)"


def test_500_and_malformed(client: FlaskClient, auth: dict[str, str]) -> None:
    arm(client, kind="500")
    assert client.get(LINEITEMS, headers=auth).status_code == 500
    arm(client, kind="malformed")
    response = client.get(LINEITEMS, headers=auth)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.get_json(force=True, silent=False)


def test_slow(client: FlaskClient, auth: dict[str, str],
              monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("lti_tool.sandbox.faults.time.sleep", waits.append)
    arm(client, kind="slow", delay=0.3)
    assert client.get(LINEITEMS, headers=auth).status_code == 200
    assert waits == [0.3]


def test_token_401_and_clear(client: FlaskClient, tool_key: rsa.RSAPrivateKey) -> None:
    arm(client, kind="token_401", count=5)
    response = client.post("/token", data=token_form(tool_key))
    assert response.status_code == 401 and response.json["error"] == "invalid_client"
    assert client.delete("/_sandbox/faults").status_code == 204
    assert client.post("/token", data=token_form(tool_key)).status_code == 200


def test_path_prefix_and_stats(client: FlaskClient, auth: dict[str, str]) -> None:
    arm(client, kind="500", path_prefix="/api/courses/other")
    assert client.get(LINEITEMS, headers=auth).status_code == 200
    assert client.post("/_sandbox/faults", json={"kind": "teapot"}).status_code == 400
    stats = client.get("/_sandbox/stats").json
    assert stats["requests"]["ags.lineitems"] == 1 and stats["tokens_issued"] == 1
    assert client.post("/_sandbox/stats/reset").status_code == 204
    assert client.get("/_sandbox/stats").json == {"requests": {}, "tokens_issued": 0}
