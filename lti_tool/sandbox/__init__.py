"""A small, genuine LTI 1.3 platform (the sandbox LMS) for the demo, tests and benchmarks.

Standalone: it imports nothing else from `lti_tool`. Run it with
`flask --app "lti_tool.sandbox:create_sandbox_app()" run --port 5001`.
"""

from __future__ import annotations

from .app import create_sandbox_app
from .platform import ACTIVE_KID, Platform, platform_of, sign_platform_jwt
from .seed import DEMO_COURSE, seed_load
from .settings import SandboxSettings

__all__ = [
    "ACTIVE_KID",
    "DEMO_COURSE",
    "Platform",
    "SandboxSettings",
    "create_sandbox_app",
    "platform_of",
    "seed_load",
    "sign_platform_jwt",
]
