"""`GET /healthz`: 200 with the database status when migrated, 503 otherwise."""

from __future__ import annotations

from pathlib import Path

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
