"""`careerpath seed-demo` and `careerpath demo`: the demo organisation, LMS and course."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import click
from flask import Flask
from werkzeug.serving import make_server

from .. import create_app
from ..bootstrap import Services, ensure_tool_key, open_database, services
from ..config import Settings
from ..sandbox import DEMO_COURSE, create_sandbox_app, platform_of
from ..sandbox.native_course import MOODLE_WS_TOKEN
from ..usecases.demo.course import (
    connect_demo_platform,
    map_demo_course,
    prepare_demo_course,
)
from ..usecases.demo.people_evidence import (
    DemoEvidence,
    let_demo_mentors_observe,
    seed_demo_evidence,
)
from ..usecases.demo.seed import DEMO_SLUG, seed_demo
from ..usecases.invitations import create_invitation
from ..usecases.platforms import PlatformInput, RegisteredPlatform, ensure_platform
from ..usecases.sync.jobs import course_tenant_id, run_sync
from .sandbox import sandbox_settings


@dataclass(frozen=True)
class DemoLink:
    role: str
    name: str
    url: str


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Create the demo organisation (frameworks, competencies, roles); safe to run twice."""
    database = open_database(Settings.from_env())
    with database.session() as session:
        tenant = seed_demo(session)
        click.echo(f"demo organisation ready: {tenant.name} (tenant {tenant.slug})")


@click.command()
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port of the tool (on 127.0.0.1).")
@click.option("--sandbox-port", default=5001, show_default=True,
              type=click.IntRange(1, 65535), help="Port of the sandbox LMS (on localhost).")
def demo(port: int, sandbox_port: int) -> None:
    """Run the tool and the sandbox LMS together and print launch links.

    Seeds the demo organisation, registers the sandbox as its platform, syncs the demo
    course and maps its items to competencies (all idempotent); the database must be
    migrated first (`careerpath db upgrade`).
    """
    tool_url, lms_url = f"http://127.0.0.1:{port}", f"http://localhost:{sandbox_port}"
    tool = create_app()
    ensure_tool_key(tool)
    lms = create_sandbox_app(sandbox_settings(tool_url, lms_url))
    svc = services(tool)
    platform = _register_sandbox(svc, lms)
    lms_server = make_server("127.0.0.1", sandbox_port, lms, threaded=True)
    threading.Thread(target=lms_server.serve_forever, daemon=True).start()
    course_id = prepare_demo_course(svc.database, platform.registration.tenant_id,
                                    platform.registration.id, lms_url)
    connect_demo_platform(svc.database, svc.settings.secret_key, platform.registration.id,
                          lms_url, MOODLE_WS_TOKEN)
    let_demo_mentors_observe(svc.database, platform.registration.tenant_id)
    threading.Thread(target=_sync_demo_course, args=(svc, course_id, tool_url),
                     daemon=True).start()
    for link in demo_links(lms, lms_url):
        click.echo(f"launch as {link.role:<10} ({link.name}): {link.url}")
    click.echo(f"sandbox LMS course page: {lms_url}/courses/{DEMO_COURSE}")
    click.echo(f"Dynamic Registration (one-time link, joins the demo organisation, then "
               f"approve it on the admin pages): {_registration_page(svc, tool_url, lms_url)}")
    click.echo(f"tool health: {tool_url}/healthz   (Ctrl+C to stop)")
    tool.run(host="127.0.0.1", port=port, threaded=True, use_reloader=False)


def _register_sandbox(svc: Services, lms: Flask) -> RegisteredPlatform:
    settings = platform_of(lms).settings
    with svc.database.session() as session:
        seed_demo(session)
    return ensure_platform(svc.database, PlatformInput(
        issuer=settings.issuer, client_id=settings.client_id,
        deployment_ids=[settings.deployment_id], auth_login_url=settings.auth_url,
        auth_token_url=settings.token_url, keyset_url=f"{settings.issuer}/jwks",
        name="Sandbox LMS", tenant_slug=DEMO_SLUG))


def _registration_page(svc: Services, tool_url: str, lms_url: str) -> str:
    """The sandbox's registration page opening a new one-day registration link."""
    issued = create_invitation(svc.database, tool_url, datetime.now(UTC),
                               tenant_slug=DEMO_SLUG, lifetime=timedelta(days=1),
                               created_by="careerpath demo")
    query = urlencode({"flavour": "moodle", "tool_register_url": issued.link})
    return f"{lms_url}/_sandbox/register?{query}"


def _sync_demo_course(svc: Services, course_id: int, tool_url: str) -> None:
    """Once the tool answers (the LMS checks its keys), sync the course and map it."""
    for _ in range(100):
        try:
            svc.http.fetch_json(f"{tool_url}/lti/jwks")
            break
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    run = run_sync(svc, course_id, "demo")
    added = _map(svc, course_id)
    people = _people_evidence(svc, course_id)
    extra = ("; a project accepted, one waiting for review, an observation"
             if people.accepted else "")
    click.echo(f"demo course synced ({run.status}: {run.counts.get('members', 0)} members, "
               f"{run.counts.get('evidence_created', 0)} evidence, "
               f"{run.counts.get('native_items', 0)} native activities); {added} rules mapped"
               f"{extra}")


def _map(svc: Services, course_id: int) -> int:
    tenant_id = course_tenant_id(svc.database, course_id)
    return map_demo_course(svc.database, tenant_id, course_id)


def _people_evidence(svc: Services, course_id: int) -> DemoEvidence:
    tenant_id = course_tenant_id(svc.database, course_id)
    return seed_demo_evidence(svc.database, tenant_id, course_id, datetime.now(UTC))


def demo_links(lms: Flask, lms_url: str) -> list[DemoLink]:
    """One launch link per kind of user of the demo course."""
    state = platform_of(lms).state
    links = {"learner": "link-readiness", "instructor": "link-mapping", "admin": "link-admin",
             "mentor": "link-readiness"}  # a Mentor lands on its own page from any link
    found = []
    with state.lock:
        course = state.course(DEMO_COURSE)
        for role, link in links.items():
            member = next((m for m in course.members.values() if m.kind == role), None)
            if member is None:
                continue
            user = state.user(member.user_id)
            found.append(DemoLink(role, user.name, f"{lms_url}/courses/{DEMO_COURSE}/links/"
                                                   f"{link}/launch?user={user.id}"))
    return found


def register(cli: click.Group) -> None:
    cli.add_command(seed_demo_command)
    cli.add_command(demo)
