"""`careerpath platform hosts`: the hosts a platform's AGS/NRPS URLs may be on."""

from __future__ import annotations

from pathlib import Path

import pytest

from lti_tool.cli import main
from lti_tool.config import Settings
from lti_tool.store.database import Database
from lti_tool.store.repositories.lti import LtiRepository
from lti_tool.usecases.service_hosts import service_registration

CANVAS = ["platform", "add", "--issuer", "https://canvas.instructure.com",
          "--client-id", "10000000000001", "--deployment-id", "d1",
          "--auth-login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
          "--auth-token-url", "https://sso.canvaslms.com/login/oauth2/token",
          "--keyset-url", "https://sso.canvaslms.com/api/lti/security/jwks"]


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", url)
    monkeypatch.setenv("CAREERPATH_SECRET_KEY", "cli-test-secret")
    return url


def test_an_admin_lists_and_removes_a_school_domain(database: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    assert main(CANVAS) == 0
    capsys.readouterr()
    assert main(["platform", "hosts", "1"]) == 0
    shown = capsys.readouterr().out
    assert "canvas.instructure.com" in shown and "listed hosts    -" in shown
    assert main(["platform", "hosts", "1", "--add", "https://School.Instructure.com/courses",
                 "--add", "school-beta.instructure.com"]) == 0
    assert "school-beta.instructure.com, school.instructure.com" in capsys.readouterr().out
    db = Database(Settings.from_env().database_url)
    with db.session() as session:
        registration = LtiRepository(session).registration_by_id(1)
    service = service_registration(db, registration)
    assert service.allows("https://school.instructure.com/api/lti/courses/1/line_items")
    assert not service.allows("https://other.instructure.com/api/lti/courses/1/line_items")
    assert main(["platform", "hosts", "1", "--remove", "school.instructure.com"]) == 0
    assert "listed hosts    school-beta.instructure.com\n" in capsys.readouterr().out
    assert not service_registration(db, registration).allows("https://school.instructure.com/x")
    db.dispose()


@pytest.mark.parametrize("bad", ["not a host", "10.0.0.0/8", "https://", ""])
def test_a_bad_host_is_one_line_and_status_2(database: str, bad: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    main(CANVAS)
    capsys.readouterr()
    assert main(["platform", "hosts", "1", "--add", bad]) == 2
    assert "is not a host name" in capsys.readouterr().err


def test_an_unknown_platform_is_status_2(database: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    assert main(["platform", "hosts", "9"]) == 2
    assert "9" in capsys.readouterr().err
