"""`careerpath demo` as a user runs it: real processes, printed links that work."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.support.browser import Browser

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_until(process: subprocess.Popen[str], pattern: str, seconds: float) -> list[str]:
    """Lines of output until one matches `pattern` (or fail after `seconds`)."""
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip())
        if re.search(pattern, line):
            return lines
    raise AssertionError(f"no line matching {pattern!r} in: {lines}")


def test_demo_prints_working_launch_links(tmp_path: Path) -> None:
    port, lms_port = free_port(), free_port()
    env = {**os.environ, "CAREERPATH_INSTANCE_DIR": str(tmp_path),
           "CAREERPATH_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
           "PYTHONUNBUFFERED": "1"}
    subprocess.run([sys.executable, "-m", "lti_tool.cli", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "lti_tool.cli", "demo", "--port", str(port), "--sandbox-port",
         str(lms_port)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        lines = read_until(process, r"demo course synced", 90)
        links = {m.group(1): m.group(2) for line in lines
                 if (m := re.match(r"launch as (\w+)\s+\(.*\): (\S+)", line))}
        assert set(links) == {"learner", "instructor", "admin", "mentor"}
        assert "demo course synced (succeeded" in lines[-1]
        assert "a project accepted, one waiting for review, an observation" in lines[-1]
        assert "3 native activities" in lines[-1]  # through the Moodle web-services connector
        assert "10 rules mapped" in lines[-1]  # the native quiz, assignment and page among them
        learner = _launch(links["learner"])
        assert learner.status_code == 200 and "Next-role readiness" in learner.text
        assert re.search(r"You are <strong>\d+", learner.text)
        instructor = _launch(links["instructor"])
        assert instructor.status_code == 200 and "SQL Fundamentals quiz" in instructor.text
        assert "SQL fundamentals quiz (native)" in instructor.text
        assert "Moodle activity (web services)" in instructor.text
        admin = _launch(links["admin"])
        assert admin.status_code == 200 and "Northwind Learning" in admin.text
        mentor = _launch(links["mentor"])  # Olivia Bennett mentors the first learner only
        assert mentor.status_code == 200 and "People I mentor" in mentor.text
        assert "Amara Okafor" in mentor.text and "Liam O&#39;Brien" not in mentor.text
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _launch(url: str):  # noqa: ANN202
    browser = Browser()
    frame = browser.get(url)
    auth = browser.submit(browser.frame(frame))
    return browser.submit(auth)
