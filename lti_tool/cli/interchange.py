"""`careerpath import case|csv` and `careerpath export case`: frameworks and roles in and out."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click

from ..bootstrap import Database, open_database
from ..config import Settings
from ..interop.problems import ImportRejected
from ..usecases.exports import export_case
from ..usecases.imports import (
    CSV_KINDS,
    ImportSummary,
    Progress,
    import_case,
    import_csv,
    read_case_source,
)

EXIT_REJECTED = 2


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    """The configured database, its connections closed when the command ends."""
    database = open_database(settings)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def _progress_bar(label: str) -> Iterator[Progress]:
    """A progress callback that opens a bar on stderr at the first item written."""
    with ExitStack() as stack:
        bars: list[Any] = []

        def progress(done: int, total: int) -> None:
            if not bars:
                bars.append(stack.enter_context(click.progressbar(
                    length=total, label=label, show_pos=True, file=sys.stderr)))
            bars[0].update(done - bars[0].pos)
        yield progress


def _run(label: str, action: Callable[[Progress], ImportSummary]) -> None:
    """Run an import with a progress bar; problems go to stderr with exit status 2."""
    try:
        with _progress_bar(label) as progress:
            summary = action(progress)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        click.echo(f"careerpath: import refused: {rejected.message}", err=True)
        raise click.exceptions.Exit(EXIT_REJECTED) from None
    click.echo(summary.line())


@click.group("import")
def import_group() -> None:
    """Import frameworks (CASE 1.0, Moodle CSV) and roles (CSV) into a tenant."""


@import_group.command("case")
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--tenant", "tenant_slug", required=True, help="The tenant's slug.")
def import_case_command(source: str, tenant_slug: str) -> None:
    """Import a CASE 1.0 CFPackage (JSON file or http(s) URL) as one framework."""
    settings = Settings.from_env()
    from ..bootstrap import outbound_http

    package, url = read_case_source(source, outbound_http(settings).fetch_json)
    with _database(settings) as database:
        _run("items", lambda progress: import_case(database, tenant_slug, package, url,
                                                   progress))


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "tenant_slug", required=True, help="The tenant's slug.")
@click.option("--kind", type=click.Choice(CSV_KINDS), default=None,
              help="frameworks (Moodle's columns) or roles; by default, told by the header.")
def import_csv_command(file: Path, tenant_slug: str, kind: str | None) -> None:
    """Import frameworks in Moodle's CSV column set, or roles in the roles CSV format."""
    text = file.read_text(encoding="utf-8-sig")
    with _database(Settings.from_env()) as database:
        _run("rows", lambda progress: import_csv(database, tenant_slug, text, kind, progress))


@click.group("export")
def export_group() -> None:
    """Export frameworks (CASE 1.0)."""


@export_group.command("case")
@click.argument("framework_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              default=None, help="Write to this file instead of standard output.")
def export_case_command(framework_id: int, output: Path | None) -> None:
    """Export a framework as a CASE 1.0 CFPackage (JSON)."""
    settings = Settings.from_env()
    with _database(settings) as database:
        package = export_case(database, framework_id, settings.base_url)
    text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"exported framework {framework_id} ({len(package['CFItems'])} items, "
               f"{len(package['CFAssociations'])} associations) to {output}", err=True)


def register(cli: click.Group) -> None:
    cli.add_command(import_group)
    cli.add_command(export_group)
