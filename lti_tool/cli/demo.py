"""`careerpath seed-demo`: the demo organisation."""

from __future__ import annotations

import click

from ..config import Settings
from ..store.database import Database
from ..usecases.demo_seed import seed_demo


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo organisation (frameworks, competencies, roles); safe to run twice."""
    database = Database(Settings.from_env().database_url)
    with database.session() as session:
        tenant = seed_demo(session)
        click.echo(f"demo organisation ready: {tenant.name} (tenant {tenant.slug})")


def register(cli: click.Group) -> None:
    cli.add_command(seed_demo_command)
