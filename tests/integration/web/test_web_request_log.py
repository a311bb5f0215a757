"""Production log lines: JSON objects carrying the id the response sends as X-Request-Id."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from lti_tool import create_app
from lti_tool.log_format import JsonLines, logging_config
from tests.support.databases import migrated_sqlite_url


def _record(message: str, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("lti_tool.test", logging.WARNING, __file__, 1, message, None,
                             exc_info)  # type: ignore[arg-type]


def test_app_lines_carry_the_request_id_of_the_request(tmp_path: Path) -> None:
    app = create_app({"database_url": migrated_sqlite_url(tmp_path / "log.db"),
                      "testing": True})
    with app.test_request_context("/healthz", headers={"X-Request-Id": "proxy-id-42"}):
        app.preprocess_request()
        line = json.loads(JsonLines().format(_record("inside a request")))
    assert line["request_id"] == "proxy-id-42" and line["message"] == "inside a request"
    assert line["level"] == "warning" and line["logger"] == "lti_tool.test"
    outside = json.loads(JsonLines().format(_record("outside")))
    assert outside["request_id"] is None


def test_every_response_sends_a_request_id_and_a_bad_one_is_replaced(tmp_path: Path) -> None:
    app = create_app({"database_url": migrated_sqlite_url(tmp_path / "log.db"),
                      "testing": True})
    client = app.test_client()
    assert client.get("/healthz").headers["X-Request-Id"]
    with client.get("/static/careerpath.css") as static:
        assert static.headers["X-Request-Id"]
    forged = client.get("/healthz", headers={"X-Request-Id": "bad id; with spaces"})
    assert forged.headers["X-Request-Id"] != "bad id; with spaces"


def test_access_lines_name_their_fields_and_leave_out_the_query() -> None:
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s", None, None)
    record.args = {"h": "127.0.0.1", "m": "GET", "U": "/lti/login", "q": "token=secret",
                   "s": "302", "B": "-", "D": 1534, "{x-request-id}o": "abc"}
    line = json.loads(JsonLines().format(record))
    assert line == {**{k: line[k] for k in ("time", "level", "logger")},
                    "message": "request", "request_id": "abc", "method": "GET",
                    "path": "/lti/login", "status": 302, "bytes": 0, "duration_ms": 1.5,
                    "remote": "127.0.0.1"}
    assert "secret" not in json.dumps(line)


def test_errors_keep_their_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        line = json.loads(JsonLines().format(_record("failed", sys.exc_info())))
    assert "ValueError: boom" in line["error"]


def test_the_config_sends_every_logger_through_the_json_formatter() -> None:
    config = logging_config("DEBUG")
    assert config["formatters"]["json"]["()"] == "lti_tool.log_format.JsonLines"
    assert config["root"] == {"level": "DEBUG", "handlers": ["stdout"]}
    assert config["loggers"]["gunicorn.access"]["handlers"] == ["stdout"]
