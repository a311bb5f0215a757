"""`careerpath webhooks deliver`: send due webhook deliveries from the outbox."""

from __future__ import annotations

import time

import click

from ..config import Settings
from ..services import build_services
from ..usecases.webhook_delivery import run_webhook_deliveries


@click.group("webhooks")
def webhooks() -> None:
    """Webhook deliveries (subscriptions are managed through the API)."""


@webhooks.command()
@click.option("--loop", is_flag=True, help="Keep delivering, one pass every --interval seconds.")
@click.option("--interval", default=30, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds between passes with --loop.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000),
              help="Deliveries per pass.")
def deliver(loop: bool, interval: int, limit: int) -> None:
    """Deliver due webhook events (once, for cron; or continuously with --loop)."""
    svc = build_services(Settings.from_env())
    while True:
        report = run_webhook_deliveries(svc, limit)
        click.echo(f"webhooks: {report}")
        if not loop:
            return
        time.sleep(interval)


def register(cli: click.Group) -> None:
    cli.add_command(webhooks)
