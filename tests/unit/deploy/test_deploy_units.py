"""The example service units run exactly the commands the README documents, and each of
those is a valid `careerpath` command line."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import click
import pytest

from lti_tool.cli import cli

ROOT = Path(__file__).resolve().parents[3]
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
SECTION = "## Running in production"


def documented_commands() -> list[str]:
    """The `careerpath ...` lines of the first code block of the README's production section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in text, f"README.md has no {SECTION!r} section"
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```[a-z]*\n(.*?)```", section, re.S)
    assert block, f"no code block in the README's {SECTION!r} section"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()
            if line.strip().startswith("careerpath ")]


def exec_start(unit: Path) -> str:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(unit, encoding="utf-8")
    program, *args = shlex.split(parser["Service"]["ExecStart"])
    assert program.endswith("/bin/careerpath"), f"{unit.name} runs {program}, not careerpath"
    return shlex.join(["careerpath", *args])


def test_there_are_units_for_web_worker_and_the_periodic_sync() -> None:
    names = {unit.name for unit in UNITS}
    assert {"careerpath-web.service", "careerpath-worker.service",
            "careerpath-sync.service"} <= names
    assert (ROOT / "deploy" / "systemd" / "careerpath-sync.timer").is_file()


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_unit_runs_a_documented_command(unit: Path) -> None:
    assert exec_start(unit) in documented_commands()


def test_each_documented_command_has_a_unit() -> None:
    assert sorted(documented_commands()) == sorted(exec_start(unit) for unit in UNITS)


@pytest.mark.parametrize("command", documented_commands())
def test_each_documented_command_parses(command: str) -> None:
    """Resolve the sub-commands and parse the options, without running anything."""
    found: click.Command = cli
    name, tokens = "careerpath", shlex.split(command)[1:]
    while isinstance(found, click.Group):
        assert tokens, f"{command} names a group, not a command"
        name, tokens = tokens[0], tokens[1:]
        sub = found.get_command(click.Context(found), name)
        assert sub is not None, f"{command}: no command {name!r}"
        found = sub
    found.make_context(name, tokens)  # a UsageError for an unknown option or a bad value
