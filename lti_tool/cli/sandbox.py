"""`careerpath sandbox` and `careerpath demo`: the sandbox LMS, alone or beside the tool."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import click
from flask import Flask
from werkzeug.serving import make_server

from .. import create_app
from ..bootstrap import ensure_tool_key, services
from ..config import INSTANCE_DIR
from ..sandbox import DEMO_COURSE, SandboxSettings, create_sandbox_app, platform_of
from ..usecases.demo_seed import DEMO_SLUG, seed_demo
from ..usecases.platforms import PlatformInput, ensure_platform


@dataclass(frozen=True)
class DemoLinks:
    role: str
    name: str
    url: str


def sandbox_settings(tool_url: str, sandbox_url: str) -> SandboxSettings:
    tool_url = tool_url.rstrip("/")
    return SandboxSettings(base_url=sandbox_url, tool_login_url=f"{tool_url}/lti/login",
                           tool_launch_url=f"{tool_url}/lti/launch",
                           tool_jwks_url=f"{tool_url}/lti/jwks",
                           tool_deep_link_url=f"{tool_url}/lti/launch",
                           key_path=str(INSTANCE_DIR / "sandbox-platform-key.pem"))


@click.command()
@click.option("--host", default="localhost", show_default=True,
              help="Host name the sandbox is reached at (its LTI issuer).")
@click.option("--port", default=5001, show_default=True, type=click.IntRange(1, 65535))
@click.option("--tool-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the CareerPath tool runs.")
def sandbox(host: str, port: int, tool_url: str) -> None:
    """Run the sandbox LMS: a small LTI 1.3 platform with a demo course."""
    app = create_sandbox_app(sandbox_settings(tool_url, f"http://{host}:{port}"))
    click.echo(f"sandbox LMS on http://{host}:{port} (Ctrl+C to stop)")
    app.run(host="127.0.0.1" if host == "localhost" else host, port=port, threaded=True,
            use_reloader=False)


@click.command()
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the tool (on 127.0.0.1).")
@click.option("--sandbox-port", default=5001, show_default=True,
              type=click.IntRange(1, 65535), help="Port of the sandbox LMS (on localhost).")
def demo(port: int, sandbox_port: int) -> None:
    """Run the tool and the sandbox LMS together and print launch links.

    Seeds the demo organisation and registers the sandbox as its platform (both idempotent);
    the database must be migrated first (`careerpath db upgrade`).
    """
    tool_url, lms_url = f"http://127.0.0.1:{port}", f"http://localhost:{sandbox_port}"
    tool = create_app()
    ensure_tool_key(tool)
    lms = create_sandbox_app(sandbox_settings(tool_url, lms_url))
    settings = platform_of(lms).settings
    with services(tool).database.session() as session:
        seed_demo(session)
    ensure_platform(services(tool).database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
        auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
        name="Sandbox LMS", tenant_slug=DEMO_SLUG))
    lms_server = make_server("127.0.0.1", sandbox_port, lms, threaded=True)
    threading.Thread(target=lms_server.serve_forever, daemon=True).start()
    for link in demo_links(lms, lms_url):
        click.echo(f"launch as {link.role:<10} ({link.name}): {link.url}")
    click.echo(f"sandbox LMS course page: {lms_url}/courses/{DEMO_COURSE}")
    click.echo(f"tool health: {tool_url}/healthz   (Ctrl+C to stop)")
    tool.run(host="127.0.0.1", port=port, threaded=True, use_reloader=False)


def demo_links(lms: Flask, lms_url: str) -> list[DemoLinks]:
    """One launch link per kind of user of the demo course."""
    state = platform_of(lms).state
    links = {"learner": "link-readiness", "instructor": "link-mapping",
             "admin": "link-admin"}
    found = []
    with state.lock:
        course = state.course(DEMO_COURSE)
        for role, link in links.items():
            member = next(m for m in course.members.values() if m.kind == role)
            user = state.user(member.user_id)
            found.append(DemoLinks(role, user.name, f"{lms_url}/courses/{DEMO_COURSE}/links/"
                                                    f"{link}/launch?user={user.id}"))
    return found


def register(cli: click.Group) -> None:
    cli.add_command(sandbox)
    cli.add_command(demo)
