"""The tool reads and writes no Flask cookie session; a write to one fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import session

from lti_tool import create_app
from lti_tool.web.no_cookie_session import NO_SESSION
from tests.support.databases import migrated_sqlite_url


def test_no_session_cookie_is_read_or_written(tmp_path: Path) -> None:
    app = create_app({"database_url": migrated_sqlite_url(tmp_path / "t.db"), "testing": True})
    forged = app.test_client()
    forged.set_cookie(app.config["SESSION_COOKIE_NAME"], "eyJ4IjoxfQ.forged.sig")
    with app.test_request_context("/healthz", headers={"Cookie": "session=eyJ4IjoxfQ.x.y"}):
        app.preprocess_request()
        assert dict(session) == {}, "a session cookie is never read"
        with pytest.raises(RuntimeError, match="no state in Flask's cookie session") as raised:
            session["state"] = "x"
        assert str(raised.value) == NO_SESSION
        for write in (lambda: session.pop("x", None), session.clear,
                      lambda: session.update(a=1), lambda: session.setdefault("a", 1)):
            with pytest.raises(RuntimeError):
                write()
    response = forged.get("/healthz")
    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "Cookie" not in response.headers.get("Vary", "")
