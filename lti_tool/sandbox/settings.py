"""Settings of the sandbox LMS: where it lives and where the tool under test lives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TOOL_BASE = "http://127.0.0.1:5000"

JwksFetcher = Callable[[str], dict[str, Any]]


@dataclass
class SandboxSettings:
    """Everything `create_sandbox_app` needs; the defaults match the local demo."""

    base_url: str = "http://localhost:5001"
    tool_login_url: str = f"{TOOL_BASE}/lti/login"
    tool_launch_url: str = f"{TOOL_BASE}/lti/launch"
    tool_jwks_url: str = f"{TOOL_BASE}/lti/jwks"
    tool_deep_link_url: str = f"{TOOL_BASE}/lti/launch"
    client_id: str = "careerpath-sandbox"
    flavour: str = "generic"  # of the sandbox's own registration: moodle, canvas or generic
    deployment_id: str = "sandbox-deployment-1"
    seed: bool = True
    key_path: str | None = None
    learners: int = 12
    mentor: bool = False  # the demo course also has a Mentor of its first learner
    line_items: int = 6
    platform_name: str = "CareerPath Sandbox LMS"
    secret_key: str = "sandbox-only-secret"  # noqa: S105 - signs opaque hints in a test LMS
    jwks_fetcher: JwksFetcher | None = field(default=None, repr=False)

    @property
    def issuer(self) -> str:
        """The platform issuer: the base URL without a trailing slash."""
        return self.base_url.rstrip("/")

    @property
    def token_url(self) -> str:
        """The exact token URL a client assertion's `aud` must name."""
        return f"{self.issuer}/token"

    @property
    def auth_url(self) -> str:
        """The OIDC authorization endpoint."""
        return f"{self.issuer}/auth"
