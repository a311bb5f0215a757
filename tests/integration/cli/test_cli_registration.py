"""`careerpath platform invite|approve|show` and `careerpath tenant add|list`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lti_tool.cli import main
from lti_tool.store import Database
from lti_tool.store.repositories.invitations import InvitationRepository
from lti_tool.usecases.invitations import token_hash
from lti_tool.usecases.platforms import PlatformInput, register_platform

BASE_URL = "https://careerpath.example.edu"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", url)
    monkeypatch.setenv("CAREERPATH_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("CAREERPATH_BASE_URL", BASE_URL)
    assert main(["db", "upgrade"]) == 0
    found = Database(url)
    yield found
    found.dispose()


def _invitation(database: Database, link: str):  # noqa: ANN202
    with database.session() as session:
        return InvitationRepository(session).by_hash(token_hash(link.rsplit("/", 1)[1]))


def test_tenant_add_and_list(database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tenant", "list"]) == 0
    assert "no tenants" in capsys.readouterr().out
    assert main(["tenant", "add", "acme", "--name", "Acme College"]) == 0
    assert "created tenant acme: Acme College" in capsys.readouterr().out
    assert main(["tenant", "add", "acme"]) == 2
    assert "tenant 'acme' already exists" in capsys.readouterr().err
    assert main(["tenant", "add", "Acme."]) == 2
    assert "a tenant slug is" in capsys.readouterr().err
    assert main(["tenant", "add", "globex"]) == 0
    capsys.readouterr()
    assert main(["tenant", "list"]) == 0
    assert capsys.readouterr().out.splitlines() == ["1\tacme\tAcme College", "2\tglobex\tglobex"]


def test_platform_invite_prints_a_one_time_link(database: Database,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tenant", "add", "acme"]) == 0
    capsys.readouterr()
    before = datetime.now(UTC)
    assert main(["platform", "invite", "--tenant", "acme", "--expires", "12h",
                 "--deployment-id", "d1", "--deployment-id", "d2"]) == 0
    captured = capsys.readouterr()
    link = captured.out.strip()
    assert link.startswith(f"{BASE_URL}/lti/register/") and len(link.splitlines()) == 1
    assert "into tenant acme" in captured.err
    stored = _invitation(database, link)
    assert stored is not None and stored.tenant_id == 1 and stored.created_by == "operator"
    assert stored.deployment_ids == ("d1", "d2")
    assert before + timedelta(hours=12) <= stored.expires_at <= datetime.now(UTC) + timedelta(
        hours=12)
    assert main(["platform", "invite"]) == 0
    fresh = capsys.readouterr()
    assert "into a new tenant" in fresh.err
    new_tenant = _invitation(database, fresh.out.strip())
    assert new_tenant is not None and new_tenant.tenant_id is None
    assert new_tenant.expires_at - new_tenant.created_at >= timedelta(days=7) - timedelta(
        seconds=5)


@pytest.mark.parametrize(("args", "message"), [
    (["--tenant", "nope"], "tenant 'nope' does not exist"),
    (["--expires", "91d"], "at most 90 days"),
    (["--expires", "0h"], "more than 0"),
    (["--expires", "soon"], "expiry must be a number with m, h or d"),
])
def test_platform_invite_refuses_bad_input(database: Database,
                                           capsys: pytest.CaptureFixture[str],
                                           args: list[str], message: str) -> None:
    assert main(["platform", "invite", *args]) == 2
    assert message in capsys.readouterr().err


def test_platform_show_prints_the_tenant_slug_and_approve(
        database: Database, capsys: pytest.CaptureFixture[str]) -> None:
    made = register_platform(database, PlatformInput(
        issuer="https://moodle.acme.edu", client_id="abc", deployment_ids=[],
        auth_login_url="https://moodle.acme.edu/auth",
        auth_token_url="https://moodle.acme.edu/token",
        keyset_url="https://moodle.acme.edu/jwks", name="Acme Moodle",
        registered_via="dynamic", status="pending", deployment_policy="announced"))
    registration_id = made.registration.id
    assert main(["platform", "show", str(registration_id)]) == 0
    shown = capsys.readouterr().out
    assert "tenant          acme-moodle-abc\n" in shown
    assert "status          pending" in shown and "recorded from launches" in shown
    assert main(["platform", "list"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("\tpending")
    assert main(["platform", "approve", str(registration_id)]) == 0
    assert f"approved platform {registration_id}" in capsys.readouterr().out
    assert main(["platform", "show", str(registration_id)]) == 0
    assert "status          active" in capsys.readouterr().out
    assert main(["platform", "approve", str(registration_id)]) == 2
    assert "already active" in capsys.readouterr().err
    assert main(["platform", "approve", "999"]) == 2
    assert "no platform registration with id 999" in capsys.readouterr().err


def test_platform_add_joins_only_the_named_tenant(database: Database,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--deployment-id", "d", "--auth-login-url", "https://lms.example/a",
              "--auth-token-url", "https://lms.example/t", "--keyset-url",
              "https://lms.example/k", "--name", "LMS"]
    assert main(["platform", "add", "--issuer", "https://a.example", "--client-id", "1",
                 *common]) == 0
    assert main(["platform", "add", "--issuer", "https://b.example", "--client-id", "1.",
                 *common]) == 0
    assert main(["platform", "add", "--issuer", "https://c.example", "--client-id", "9",
                 "--tenant", "lms-1", *common]) == 0
    capsys.readouterr()
    slugs = []
    for registration_id in (1, 2, 3):
        assert main(["platform", "show", str(registration_id)]) == 0
        line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("tenant "))
        slugs.append(line.split()[-1])
    assert slugs == ["lms-1", "lms-1-2", "lms-1"]
