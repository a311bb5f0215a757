"""`careerpath platform connect|disconnect`: the connector stored, its secret encrypted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lti_tool.cli import main
from lti_tool.sealing import unseal
from lti_tool.store.database import Database
from lti_tool.store.models import LmsConnectorRow
from tests.integration.cli.test_cli_commands import PLATFORM, database  # noqa: F401

TOKEN = "7~moodle-or-canvas-token-value"  # noqa: S105 - a test value


def stored(url: str) -> list[LmsConnectorRow]:
    with Database(url).session() as session:
        return list(session.scalars(select(LmsConnectorRow)))


def test_connect_token_then_oauth_then_disconnect(database: str,  # noqa: F811
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    assert main(PLATFORM) == 0
    assert main(["platform", "connect", "1", "--platform", "moodle", "--base-url",
                 "https://moodle.example.edu/", "--token", TOKEN]) == 0
    assert "connected platform 1 to moodle at https://moodle.example.edu:" in \
        capsys.readouterr().out
    [row] = stored(database)
    assert (row.platform, row.auth, row.base_url) == ("moodle", "token",
                                                      "https://moodle.example.edu")
    assert TOKEN not in row.secret_encrypted
    assert unseal(row.secret_encrypted, "cli-test-secret").decode() == TOKEN
    assert main(["platform", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "connector       moodle https://moodle.example.edu (token (encrypted))" in shown
    assert TOKEN not in shown

    assert main(["platform", "connect", "1", "--platform", "canvas", "--base-url",
                 "https://school.instructure.com", "--client-id", "10000000000042",
                 "--client-secret", "key-secret"]) == 0
    assert "instructor authorizes each course" in capsys.readouterr().out
    [row] = stored(database)
    assert (row.platform, row.auth, row.client_id) == ("canvas", "oauth2", "10000000000042")
    assert unseal(row.secret_encrypted, "cli-test-secret") == b"key-secret"

    assert main(["platform", "disconnect", "1"]) == 0
    assert stored(database) == []


def test_connect_refuses_plain_http_and_unknown_registrations(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    main(["db", "upgrade"])
    assert main(PLATFORM) == 0
    assert main(["platform", "connect", "1", "--platform", "moodle", "--base-url",
                 "http://moodle.example.edu", "--token", TOKEN]) == 2
    assert "https" in capsys.readouterr().err
    assert main(["platform", "connect", "9", "--platform", "moodle", "--base-url",
                 "https://moodle.example.edu", "--token", TOKEN]) == 2
    assert "9" in capsys.readouterr().err
    assert stored(database) == []
