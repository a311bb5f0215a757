"""`careerpath serve`: run the tool's web server."""

from __future__ import annotations

import click

from .. import create_app
from ..bootstrap import ensure_tool_key


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="TCP port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the tool (LTI endpoints, widgets, API) with the built-in threaded server.

    For production run it under gunicorn with the tool's settings:
    gunicorn -c python:lti_tool.gunicorn_conf -w 2 'lti_tool:create_app()'.
    """
    app = create_app()
    ensure_tool_key(app)
    click.echo(f"CareerPath LTI listening on http://{host}:{port} (Ctrl+C to stop)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def register(cli: click.Group) -> None:
    cli.add_command(serve)
