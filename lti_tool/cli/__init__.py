"""The `careerpath` command: one group, one module per command family."""

from __future__ import annotations

import sys

import click

from ..domain.errors import CareerPathError
from . import (
    apikey,
    database,
    demo,
    interchange,
    keys,
    platform,
    sandbox,
    serve,
    sync,
    tenant,
    webhooks,
)

EXIT_USAGE = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="careerpath-lti", prog_name="careerpath")
def cli() -> None:
    """CareerPath LTI: career paths and next-role readiness inside your LMS."""


for family in (serve, database, demo, platform, tenant, keys, sandbox, apikey, sync,
               interchange, webhooks):
    family.register(cli)


def main(argv: list[str] | None = None) -> int:
    """Run the command; bad input gets one line on stderr and exit status 2."""
    try:
        result = cli.main(args=argv, prog_name="careerpath", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("careerpath: aborted", err=True)
        return 1
    except click.ClickException as exc:
        click.echo(f"careerpath: error: {_one_line(exc.format_message())}", err=True)
        return EXIT_USAGE
    except CareerPathError as exc:
        click.echo(f"careerpath: error: {_one_line(str(exc))}", err=True)
        return EXIT_USAGE
    return result if isinstance(result, int) else 0


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
