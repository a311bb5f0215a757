"""`careerpath serve`: run the tool's web server (development, or gunicorn in production)."""

from __future__ import annotations

import os
import sys

import click

from .. import create_app
from ..bootstrap import ensure_tool_key, services
from ..domain.errors import ConfigurationError

GUNICORN_CONF = "python:lti_tool.gunicorn_conf"


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535),
              help="TCP port to listen on.  [default: 5000; 8000 with --production]")
@click.option("--production", is_flag=True,
              help="Serve with gunicorn (lti_tool/gunicorn_conf.py): several worker "
                   "processes, JSON log lines; refuses the development secret.")
@click.option("--workers", type=click.IntRange(1, 256),
              help="gunicorn worker processes (--production).  [default: 2 x CPUs + 1]")
def serve(host: str, port: int | None, production: bool, workers: int | None) -> None:
    """Serve the tool (LTI endpoints, widgets, API).

    Without --production: the built-in threaded server, for development and the demo.
    """
    app = create_app()
    settings = services(app).settings
    if production and settings.uses_dev_secret:
        raise ConfigurationError("refusing to serve in production with the development "
                                 "secret: set CAREERPATH_SECRET_KEY (see docs/operations.md)")
    ensure_tool_key(app)
    if production:
        argv = gunicorn_argv(host, port or 8000, workers)
        services(app).database.dispose()
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
    if workers is not None:
        raise click.UsageError("--workers needs --production")
    port = port or 5000
    click.echo(f"CareerPath LTI listening on http://{host}:{port} (Ctrl+C to stop)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def gunicorn_argv(host: str, port: int, workers: int | None) -> list[str]:
    """The gunicorn command line `serve --production` replaces itself with."""
    argv = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONF,
            "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return [*argv, "lti_tool:create_app()"]


def register(cli: click.Group) -> None:
    cli.add_command(serve)
