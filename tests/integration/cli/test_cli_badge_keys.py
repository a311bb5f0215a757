"""`careerpath keys rotate --badges` rotates the badge key set and leaves the LTI keys be."""

from __future__ import annotations

from pathlib import Path

import pytest

from lti_tool.cli import main


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("CAREERPATH_DATABASE_URL", url)
    monkeypatch.setenv("CAREERPATH_SECRET_KEY", "cli-test-secret")
    return url


def _lines(capsys: pytest.CaptureFixture[str]) -> list[list[str]]:
    assert main(["keys", "list"]) == 0
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def test_rotate_badges_twice(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["db", "upgrade"])
    capsys.readouterr()
    lti_before = _lines(capsys)
    assert main(["keys", "rotate", "--badges"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("signing badges with new key ") and "previous" not in first
    assert main(["keys", "rotate", "--badges"]) == 0
    second = capsys.readouterr().out
    first_kid = first.split()[-1]
    assert f"previous badge key {first_kid} verifies only" in second
    listing = _lines(capsys)
    assert [line for line in listing if not line[1].startswith("badge")] == lti_before
    badge_lines = {line[0]: line for line in listing if line[1].startswith("badge")}
    assert badge_lines[first_kid][1] == "badge retired"
    assert badge_lines[first_kid][-1] == "published until no more (no valid badge needs it)"
    (active,) = [line for line in badge_lines.values() if line[1] == "badge active"]
    assert active[-1] == "published until forever" and active[-2] == "0 badges"
