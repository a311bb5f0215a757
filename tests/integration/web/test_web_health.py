"""`GET /healthz`: 200 with the database status when migrated, 503 otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from lti_tool import create_app
from lti_tool.store import upgrade
from lti_tool.store.migrate import latest


def test_healthz_reports_a_migrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    upgrade(url)
    response = create_app({"database_url": url, "testing": True}).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": {
        "ok": True, "revision": latest(), "expected_revision": latest(),
        "detail": ""}}


def test_healthz_says_what_to_do_when_not_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    response = create_app({"database_url": url, "testing": True}).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"]["detail"] == "run `careerpath db upgrade`"


def test_healthz_when_the_database_is_unreachable(tmp_path: Path) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"
    response = create_app({"database_url": url, "testing": True}).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"]["ok"] is False
    assert "nobody" not in response.get_data(as_text=True)


def test_every_response_forbids_referrers_and_sniffing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h2.db'}"
    upgrade(url)
    client = create_app({"database_url": url, "testing": True}).test_client()
    for path in ("/healthz", "/lti/jwks", "/static/careerpath.css", "/nowhere"):
        response = client.get(path)
        assert response.headers["Referrer-Policy"] == "no-referrer", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        response.close()


def test_healthz_reports_redis_when_one_is_configured(tmp_path: Path) -> None:
    from lti_tool.config import service_url_for_tests

    redis_url = service_url_for_tests("redis")
    if redis_url is None:
        pytest.skip("Redis not configured: set CAREERPATH_TEST_REDIS_URL")
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    app = create_app({"database_url": url, "redis_url": redis_url, "testing": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["redis"] == {"ok": True, "detail": ""}


def test_healthz_is_unhealthy_when_redis_does_not_answer(tmp_path: Path) -> None:
    """Every login and launch would fail: a load balancer must stop sending traffic."""
    url = f"sqlite:///{tmp_path / 'r2.db'}"
    upgrade(url)
    closed = "redis://:s3cret@127.0.0.1:1/0"  # loopback, nothing listens on port 1
    app = create_app({"database_url": url, "redis_url": closed, "testing": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"]["ok"] is True
    assert response.json["redis"]["ok"] is False
    assert response.json["redis"]["detail"].endswith("Redis unreachable")
    assert "s3cret" not in response.get_data(as_text=True), "the URL's password is not shown"
