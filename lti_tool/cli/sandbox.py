"""`careerpath sandbox`: the sandbox LMS on its own."""

from __future__ import annotations

import click

from ..config import INSTANCE_DIR
from ..sandbox import SandboxSettings, create_sandbox_app
from ..sandbox.flavours import FLAVOURS


def sandbox_settings(tool_url: str, sandbox_url: str, flavour: str = "moodle") -> SandboxSettings:
    """The sandbox wired to a tool at `tool_url`, its platform key kept in the instance dir;
    its own registration answers as `flavour` (the demo course is a Moodle course, with a
    Mentor of its first learner)."""
    tool_url = tool_url.rstrip("/")
    return SandboxSettings(base_url=sandbox_url, tool_login_url=f"{tool_url}/lti/login",
                           tool_launch_url=f"{tool_url}/lti/launch",
                           tool_jwks_url=f"{tool_url}/lti/jwks",
                           tool_deep_link_url=f"{tool_url}/lti/launch",
                           key_path=str(INSTANCE_DIR / "sandbox-platform-key.pem"),
                           flavour=flavour, mentor=True)


@click.command()
@click.option("--host", default="localhost", show_default=True,
              help="Host name the sandbox is reached at (its LTI issuer).")
@click.option("--port", default=5001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--tool-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the CareerPath tool runs.")
@click.option("--flavour", type=click.Choice(FLAVOURS), default="moodle", show_default=True,
              help="How the LMS answers the tool's AGS/NRPS calls.")
def sandbox(host: str, port: int, tool_url: str, flavour: str) -> None:
    """Run the sandbox LMS: a small LTI 1.3 platform with a demo course."""
    app = create_sandbox_app(sandbox_settings(tool_url, f"http://{host}:{port}", flavour))
    click.echo(f"sandbox LMS on http://{host}:{port} (Ctrl+C to stop)")
    app.run(host="127.0.0.1" if host == "localhost" else host, port=port, threaded=True,
            use_reloader=False)


def register(cli: click.Group) -> None:
    cli.add_command(sandbox)
