"""Serve the sandbox LMS with a large seeded course, in its own process (the LMS side)."""

from __future__ import annotations

import argparse
import json
import sys

from werkzeug.serving import make_server

from lti_tool.sandbox import SandboxSettings, create_sandbox_app, seed_load
from lti_tool.sandbox.flavours import FLAVOURS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tool-url", required=True)
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--line-items", type=int, default=40)
    parser.add_argument("--flavour", choices=FLAVOURS, default="moodle")
    args = parser.parse_args()
    base = f"http://localhost:{args.port}"
    app = create_sandbox_app(SandboxSettings(
        base_url=base, tool_login_url=f"{args.tool_url}/lti/login",
        tool_launch_url=f"{args.tool_url}/lti/launch", tool_jwks_url=f"{args.tool_url}/lti/jwks",
        seed=False, flavour=args.flavour))
    loaded = seed_load(app, args.learners, args.line_items)
    server = make_server("127.0.0.1", args.port, app, threaded=True)
    print(json.dumps(loaded), flush=True)
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
