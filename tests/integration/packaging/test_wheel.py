"""The built wheel, installed into a fresh virtualenv outside the checkout, runs the tool.

Builds the wheel from a copy of the checkout (so nothing of a previous build leaks in),
installs it without its dependencies into a new virtualenv, which borrows the already
installed dependencies of the test environment through a .pth file (no network; the
declared dependencies are checked in tests/unit/packaging/). Then, from an empty
directory: `careerpath db upgrade`, `careerpath platform add`, `careerpath serve
--production` (gunicorn), /healthz, a static file, and one launch from the sandbox LMS.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from lti_tool.sandbox import SandboxSettings, create_sandbox_app
from tests.support.browser import Browser
from tests.support.servers import LiveServer

CHECKOUT = Path(__file__).resolve().parents[3]
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__",
                                   ".*_cache", "test-output", "instance", "tests", "bench")
SECRET = "wheel-test-secret-0123456789abcdef0123456789"  # noqa: S105 - a test-only secret


@dataclass
class Installed:
    venv: Path
    workdir: Path
    env: dict[str, str]

    def careerpath(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(self.venv / "bin" / "careerpath"), *args], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=120,
                              check=check)

    def python(self, code: str) -> str:
        done = subprocess.run([str(self.venv / "bin" / "python"), "-c", code], cwd=self.workdir,
                              env=self.env, capture_output=True, text=True, timeout=60,
                              check=True)
        return done.stdout.strip()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(CHECKOUT, source, ignore=NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(root / "dist"), str(source)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = (root / "dist").glob("careerpath_lti-*.whl")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", purelib],
                               check=True, capture_output=True, text=True).stdout.strip())
    # the dependencies: the test environment's site-packages, after the venv's own
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    workdir = root / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CAREERPATH_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(CAREERPATH_DATABASE_URL=f"sqlite:///{workdir / 'tool.db'}",
               CAREERPATH_INSTANCE_DIR=str(workdir / "instance"))
    return Installed(venv, workdir, env)


def test_the_wheel_runs_from_its_own_files(installed: Installed) -> None:
    where = json.loads(installed.python(
        "import json, lti_tool, widgets; from lti_tool import resources;"
        "print(json.dumps([lti_tool.__file__, widgets.__file__,"
        " str(resources.migrations_dir()), str(resources.static_dir())]))"))
    for path in where:
        assert path.startswith(str(installed.venv)), path
    assert (Path(where[2]) / "versions").is_dir() and (Path(where[3]) / "careerpath.css").is_file()
    version = installed.careerpath("--version").stdout
    assert version.strip() == "careerpath, version 0.1.0"


def test_the_wheel_carries_the_translations(installed: Installed) -> None:
    found = json.loads(installed.python(
        "import json; from lti_tool.web import translations as t;"
        "print(json.dumps([str(t.catalogue_path(x)) for x in ('de', 'es')]"
        " + [t.translations_for(x).gettext('My badges') for x in ('de', 'es')]))"))
    assert all(path.startswith(str(installed.venv)) for path in found[:2]), found
    assert found[2:] == ["Meine Abzeichen", "Mis insignias"]


def test_the_wheel_carries_the_demo_catalogue(installed: Installed) -> None:
    found = json.loads(installed.python(
        "import json; from importlib import resources;"
        " from lti_tool.usecases.demo.catalogue import DATA_FILE, demo_catalogue;"
        "print(json.dumps([str(resources.files('lti_tool').joinpath(DATA_FILE)),"
        " len(demo_catalogue().frameworks), len(demo_catalogue().roles)]))"))
    assert found[0].startswith(str(installed.venv)), found
    assert found[1:] == [2, 9]


def test_production_server_from_the_wheel_serves_and_launches(installed: Installed) -> None:
    upgraded = installed.careerpath("db", "upgrade")
    assert "database at revision" in upgraded.stdout, upgraded.stderr
    port = _free_port()
    tool_url = f"http://127.0.0.1:{port}"
    lms_server = LiveServer("127.0.0.1")
    lms_url = lms_server.url("localhost")
    sandbox = create_sandbox_app(SandboxSettings(
        base_url=lms_url, tool_login_url=f"{tool_url}/lti/login",
        tool_launch_url=f"{tool_url}/lti/launch", tool_jwks_url=f"{tool_url}/lti/jwks",
        tool_deep_link_url=f"{tool_url}/lti/launch", learners=2, line_items=1))
    settings = sandbox.extensions["careerpath_sandbox"].settings
    installed.careerpath(
        "platform", "add", "--issuer", settings.issuer, "--client-id", settings.client_id,
        "--deployment-id", settings.deployment_id, "--auth-login-url", settings.auth_url,
        "--auth-token-url", settings.token_url, "--keyset-url", f"{settings.issuer}/jwks",
        "--name", "Sandbox LMS")
    lms_server.start(sandbox)
    try:
        with _production_server(installed, port, tool_url) as log:
            health = requests.get(f"{tool_url}/healthz", timeout=10)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            css = requests.get(f"{tool_url}/static/careerpath.css", timeout=10)
            assert css.status_code == 200
            assert css.content == (CHECKOUT / "static" / "careerpath.css").read_bytes()
            page = _launch(sandbox, lms_url)
            assert page.status_code == 200, page.text[:500]
            assert "Next-role readiness" in page.text
            request_id = page.headers["X-Request-Id"]
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    finally:
        lms_server.stop()
    launches = [e for e in lines if e.get("path") == "/lti/launch"]
    assert launches and launches[-1]["request_id"] == request_id
    assert launches[-1]["status"] == 200 and launches[-1]["method"] == "POST"


def test_production_server_refuses_the_development_secret(installed: Installed) -> None:
    refused = installed.careerpath("serve", "--production", "--port", str(_free_port()),
                                   check=False)
    assert refused.returncode == 2
    assert "development secret" in refused.stderr


def _launch(sandbox: object, lms_url: str) -> requests.Response:
    state = sandbox.extensions["careerpath_sandbox"].state  # type: ignore[attr-defined]
    with state.lock:
        learner = next(m.user_id for m in state.course("course-101").members.values()
                       if m.kind == "learner")
    browser = Browser()
    frame = browser.get(f"{lms_url}/courses/course-101/links/link-readiness/launch?user={learner}")
    assert frame.status_code == 200, frame.text[:500]
    auth_page = browser.submit(browser.frame(frame))
    assert auth_page.status_code == 200, auth_page.text[:500]
    return browser.submit(auth_page)


class _production_server:  # noqa: N801 - used as a context manager
    """`careerpath serve --production` in its own process group; yields its log file."""

    def __init__(self, installed: Installed, port: int, tool_url: str) -> None:
        self.installed, self.port, self.tool_url = installed, port, tool_url
        self.log = installed.workdir / f"gunicorn-{port}.log"

    def __enter__(self) -> Path:
        env = {**self.installed.env, "CAREERPATH_SECRET_KEY": SECRET,
               "CAREERPATH_BASE_URL": self.tool_url}
        with self.log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [str(self.installed.venv / "bin" / "careerpath"), "serve", "--production",
                 "--port", str(self.port), "--workers", "2"],
                cwd=self.installed.workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        try:
            _wait_until_up(self.tool_url, self.process, self.log)
        except BaseException:
            self.__exit__()
            raise
        return self.log

    def __exit__(self, *_exc: object) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited:\n{log.read_text()}"
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or workers still booting
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

