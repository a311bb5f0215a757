"""The `careerpath` command: help texts, one-line errors with status 2, and each command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from lti_tool.cli import cli, main
from lti_tool.store.migrate import latest


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command and sub-command of the `careerpath` group, so none lacks help."""
    found = [list(prefix)]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _command_paths(command, (*prefix, name))
        else:
            found.append([*prefix, name])
    return found


COMMANDS = _command_paths(cli)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", url)
    monkeypatch.setenv("CAREERPATH_SECRET_KEY", "cli-test-secret")
    return url


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "careerpath")
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: careerpath")
    assert len(out.splitlines()) > 3


def test_unknown_command_is_one_line_and_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "careerpath: error: No such command 'frobnicate'."


def test_bad_option_value_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "99999"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "99999" in err and "Traceback" not in err


def test_database_commands(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "current"]) == 0
    assert "current: base (empty)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"database at revision {latest()}" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "database at revision base" in capsys.readouterr().out


def test_seed_demo_twice(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert main(["seed-demo"]) == 0
    assert main(["seed-demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("demo organisation ready: Northwind Learning") == 2


PLATFORM = ["platform", "add", "--issuer", "https://canvas.instructure.com",
            "--client-id", "10000000000001", "--deployment-id", "d1", "--deployment-id", "d2",
            "--auth-login-url", "https://sso.canvaslms.com/api/lti/authorize_redirect",
            "--auth-token-url", "https://sso.canvaslms.com/login/oauth2/token",
            "--keyset-url", "https://sso.canvaslms.com/api/lti/security/jwks",
            "--name", "Canvas Cloud"]


def test_platform_lifecycle(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    assert main(PLATFORM) == 0
    assert "registered platform 1" in capsys.readouterr().out
    assert main(["platform", "list"]) == 0
    assert "deployments=d1,d2" in capsys.readouterr().out
    assert main(["platform", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "Canvas Cloud" in shown and "d2 (enabled)" in shown
    assert main(PLATFORM) == 2
    assert "already registered" in capsys.readouterr().err
    assert main(["platform", "remove", "1", "--yes"]) == 0
    assert main(["platform", "show", "1"]) == 2
    assert "no platform registration with id 1" in capsys.readouterr().err


def test_platform_add_refuses_plain_http_off_loopback(database: str,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    main(["db", "upgrade"])
    bad = [*PLATFORM[:-4], "--keyset-url", "http://lms.example.com/jwks"]
    assert main(bad) == 2
    assert "keyset_url must use https" in capsys.readouterr().err


def test_keys_rotate_and_list(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    assert main(["keys", "list"]) == 0
    first = capsys.readouterr().out.split("\t")[0].strip().splitlines()[-1]
    assert main(["keys", "rotate", "--retire-after", "3"]) == 0
    out = capsys.readouterr().out
    assert f"previous key {first} stays published for 3 days" in out
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert "\tactive\t" in listing and "\tpublished\t" in listing


def test_command_registry_matches_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for name, command in cli.commands.items():
        assert f"careerpath {name}" in readme, f"README does not document `careerpath {name}`"
        for sub in getattr(command, "commands", {}):
            assert f"careerpath {name} {sub}" in readme or f"{name} {sub}" in readme
