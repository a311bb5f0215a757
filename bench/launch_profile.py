"""Where one launch's CPU goes: cProfile over N login → launch → widget round trips
served in process (Flask's test client) by the tool of one bench configuration.

`python -m bench.launch_profile --under-load 20 --out FILE` instead samples the tool's
gunicorn workers with py-spy (`pip install py-spy`) while the benchmark's 4 client processes
load them, and writes py-spy's collapsed stacks to FILE (sum them with `--summarise FILE`).

`python -m bench.launch_profile [--kind sqlite-redis|postgres] [--launches 400]` seeds the
configuration as the launch benchmark does (bench/launch_stack.py: sandbox LMS process, Redis
database 15), builds the tool's app in this process with the same settings, warms it up,
then profiles the launches and prints the functions by cumulative and own time per launch.
CPU time under cProfile is inflated, so read shares, not absolute figures; the absolute CPU
per launch is printed from an unprofiled run of the same launches.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt

from bench.launch_scenario import WIDGET_MARKER, Launcher
from bench.launch_stack import launch_stack


def in_process_launch(client: Any, launcher: Launcher, number: int) -> None:
    """One login + launch through the Flask test client (as bench.launch_scenario)."""
    sub = launcher.sub(0, number)
    login = client.post("/lti/login", data={
        "iss": launcher.lms_url, "login_hint": sub, "client_id": "careerpath-sandbox",
        "target_link_uri": f"{launcher.tool.base}/lti/launch",
        "lti_deployment_id": "sandbox-deployment-1"})
    assert login.status_code == 302, login.status_code
    query = parse_qs(urlsplit(login.headers["Location"]).query)
    state, nonce = query["state"][0], query["nonce"][0]
    cookies = "; ".join(value.split(";", 1)[0] for value in login.headers.getlist("Set-Cookie"))
    token = jwt.encode(launcher.claims(sub, nonce), launcher.key, algorithm="RS256",
                       headers={"kid": launcher.kid})
    launch = client.post("/lti/launch", data={"state": state, "id_token": token},
                         headers={"Cookie": cookies})
    assert launch.status_code == 200 and WIDGET_MARKER in launch.data, launch.status_code


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.launch_profile")
    parser.add_argument("--kind", default="sqlite-redis")
    parser.add_argument("--launches", type=int, default=400)
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--out", help="write the raw profile here (pstats)")
    parser.add_argument("--under-load", type=float, default=0.0,
                        help="seconds of py-spy sampling of the gunicorn workers under load")
    parser.add_argument("--summarise", help="print own/total shares from collapsed stacks")
    args = parser.parse_args(argv)
    if args.summarise:
        summarise(args.summarise, args.top)
        return 0
    if args.under_load:
        return sample_under_load(args.kind, args.under_load, args.out or "launch.pyspy")
    with launch_stack(args.kind) as stack:
        os.environ.update(stack.env)
        from lti_tool import create_app

        app = create_app()
        client = app.test_client(use_cookies=False)  # a browser per launch
        for number in range(200):
            in_process_launch(client, stack.launcher, number)
        started = time.process_time()
        for number in range(args.launches):
            in_process_launch(client, stack.launcher, number)
        cpu = (time.process_time() - started) * 1000 / args.launches
        profile = cProfile.Profile(time.thread_time)  # CPU, not waits on a busy machine
        profile.enable()
        for number in range(args.launches):
            in_process_launch(client, stack.launcher, number)
        profile.disable()
    print(f"CPU per launch, unprofiled (incl. the generator's signing): {cpu:.2f} ms")
    if args.out:
        profile.dump_stats(args.out)
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    return 0


def sample_under_load(kind: str, seconds: float, out: str) -> int:
    """py-spy over the tool's workers while 4 client processes launch."""
    import shutil
    import subprocess

    from bench.load import drive_processes

    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    with launch_stack(kind, users=4, returning=True) as stack:
        recorder = subprocess.Popen([spy, "record", "--pid", str(stack.tool_process.pid),
                                     "--subprocesses", "--format", "raw", "--rate", "250",
                                     "--nonblocking", "-d", str(int(seconds) + 2), "-o", out])
        result = drive_processes(lambda: stack.launcher, clients=4, warmup=1.0,
                                 duration=seconds, steps=("login", "launch"))
        recorder.wait(timeout=120)
    print(f"{result.completed / result.seconds:.1f} launches/s while sampling; stacks in {out}")
    return 0


def summarise(path: str, top: int) -> None:
    """Own and total share of samples per function (file:function) from collapsed stacks."""
    from collections import Counter

    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    with open(path) as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not count.isdigit():
                continue
            frames = [f.split(" (")[0] + " " + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
                      for f in stack.split(";") if not f.startswith("process ")]
            if not frames:
                continue
            n = int(count)
            samples += n
            own[frames[-1]] += n
            for frame in set(frames):
                total[frame] += n
    print(f"{samples} samples")
    for title, counter in (("total (inclusive)", total), ("own", own)):
        print(f"\n{title}:")
        for name, n in counter.most_common(top):
            print(f"{100 * n / samples:6.1f} %  {name}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
