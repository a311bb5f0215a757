"""Sync benchmark: 5,000 members × 40 line items (200,000 results) from the sandbox LMS,
once as Moodle answers and once as Canvas does (their paging, headers and page sizes).

The LMS (sandbox), the tool's JWKS server and the measured sync each run in their own
process on loopback, so the peak RSS is the sync's alone.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from bench.figures import figure
from lti_tool import create_app
from lti_tool.bootstrap import services
from lti_tool.sandbox.flavours import flavour_named
from lti_tool.store import upgrade
from lti_tool.store.repositories.courses import CourseRepository
from lti_tool.store.repositories.sync import SyncRepository
from lti_tool.usecases.platforms import PlatformInput, register_platform

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS, TARGET_RSS_MB = 15.0, 250.0
AGS_SCOPES = ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
              "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"]
FLAVOURS = ("moodle", "canvas")
# HTTP requests per 1,000 results: Moodle pages as the tool asks (1,000 a page); Canvas
# caps per_page at 100 (lib/api.rb), so at least 10 requests per 1,000 results there.
REQUESTS_TARGET = {"moodle": 5.0, "canvas": 11.0}
SANDBOX_TYPE_ID = 1  # the sandbox's own registration is its first tool type


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def prepare_tool(env: dict[str, str], lms: str, flavour: str) -> int:
    """Migrate, register the sandbox, and record the load course's services."""
    upgrade(env["CAREERPATH_DATABASE_URL"])
    svc = services(create_app({"database_url": env["CAREERPATH_DATABASE_URL"]}))
    platform = register_platform(svc.database, PlatformInput(
        issuer=lms, client_id="careerpath-sandbox", deployment_ids=["sandbox-deployment-1"],
        auth_login_url=f"{lms}/auth", auth_token_url=f"{lms}/token",
        keyset_url=f"{lms}/jwks"))
    with svc.database.session() as session:
        course = CourseRepository(session).upsert_course(
            platform.registration.tenant_id, "load-course", platform.registration.id,
            title="Load test course")
        urls = flavour_named(flavour)
        SyncRepository(session).save_services(
            course.id, urls.memberships_url(lms, "load-course", SANDBOX_TYPE_ID),
            urls.lineitems_url(lms, "load-course", SANDBOX_TYPE_ID),
            [*AGS_SCOPES, "https://purl.imsglobal.org/spec/lti-nrps/scope/"
                          "contextmembership.readonly"])
    return course.id


def run(learners: int = 5000, line_items: int = 40) -> dict[str, Any]:
    """The sync benchmark against each flavour; figures of both."""
    runs = [run_flavour(learners, line_items, flavour) for flavour in FLAVOURS]
    return {"name": "sync", "flavours": runs,
            "figures": [row for one in runs for row in one.pop("figures")]}


def run_flavour(learners: int, line_items: int, flavour: str) -> dict[str, Any]:
    """Start the LMS (as `flavour`) and the tool, sync once, and report against the targets."""
    workdir = Path(tempfile.mkdtemp(prefix="careerpath-bench-"))
    tool_port, lms_port = free_port(), free_port()
    tool, lms = f"http://127.0.0.1:{tool_port}", f"http://localhost:{lms_port}"
    env = {**os.environ, "CAREERPATH_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
           "CAREERPATH_SECRET_KEY": "bench-secret", "CAREERPATH_SYNC_ON_LAUNCH": "false"}
    env.pop("CAREERPATH_REDIS_URL", None)
    course_id = prepare_tool(env, lms, flavour)
    python = sys.executable
    children = [
        subprocess.Popen([python, "-m", "bench.sandbox_process", "--port", str(lms_port),
                          "--tool-url", tool, "--learners", str(learners),
                          "--line-items", str(line_items), "--flavour", flavour],
                         cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True),
        subprocess.Popen([python, "-m", "lti_tool.cli", "serve", "--port", str(tool_port)],
                         cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL),
    ]
    try:
        seeded = json.loads(children[0].stdout.readline())  # type: ignore[union-attr]
        wait_for(f"{tool}/healthz")
        wait_for(f"{lms}/jwks")
        done = subprocess.run([python, "-m", "bench.sync_process", str(course_id)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=600, check=True)
        measured = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        for child in children:
            child.terminate()
            child.wait(timeout=10)
    if measured["status"] != "succeeded":
        raise RuntimeError(f"the benchmark sync failed: {measured['error']}")
    label = f"sync {flavour} {learners:,} members × {line_items} items"
    stored = measured["evidence_created"] // 2
    return {"flavour": flavour, "results_in_lms": seeded["results"],
            "graded_in_lms": seeded["graded"], "graded_stored": stored, **measured, "figures": [
        figure("sync", f"{label}: graded results stored", stored, seeded["graded"],
               "results", lower_is_better=False),
        figure("sync", f"{label}: wall time", measured["seconds"], TARGET_SECONDS, "s"),
        figure("sync", f"{label}: peak RSS", measured["peak_rss_mb"], TARGET_RSS_MB, "MB"),
        figure("sync", f"{flavour}: HTTP requests per 1,000 results", 1000 * measured["requests"]
               / max(measured["results"], 1), REQUESTS_TARGET[flavour], "requests"),
    ]}
