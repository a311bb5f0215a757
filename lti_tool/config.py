"""Settings from the environment (CAREERPATH_*), with defaults that run with no service.

This is the only module that reads `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .domain.errors import ConfigurationError

INSTANCE_DIR = Path(os.environ.get("CAREERPATH_INSTANCE_DIR", "instance")).resolve()
_DEV_SECRET = "dev-only-secret-change-me"  # noqa: S105 - refused outside loopback demo
# what outbound calls may reach beyond global https addresses when nothing is set, in
# testing and on a loopback base URL (the demo): the sandbox LMS and test listeners
OUTBOUND_LOOPBACK = ("localhost", "127.0.0.0/8", "::1/128")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MIN_ADMIN_TOKEN_LENGTH = 32


@dataclass(frozen=True)
class Settings:
    """Every setting the product reads; `from_env` fills them from CAREERPATH_* variables."""

    database_url: str = f"sqlite:///{INSTANCE_DIR / 'careerpath.db'}"
    redis_url: str | None = None
    secret_key: str = _DEV_SECRET
    base_url: str = "http://127.0.0.1:5000"
    admin_token: str | None = None
    sandbox_url: str = "http://localhost:5001"
    sync_max_age_minutes: int = 60
    sync_on_launch: bool = True
    cache: str = "database"
    api_rate_limit_per_minute: int = 600
    log_level: str = "INFO"
    # hosts (or *.domain) whose openid_configuration may claim the shared Canvas cloud issuer
    canvas_config_hosts: str = ""
    testing: bool = False
    outbound_allow: str | None = None
    outbound_page_mb: int = 16
    # reverse proxies in front of the tool whose X-Forwarded-* headers are trusted (ProxyFix)
    proxy_hops: int = 0
    launch_idle_minutes: int = 60
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"CAREERPATH_{f.name.upper()}")
            if raw is None or f.name == "extra":
                continue
            values[f.name] = _coerce(f.name, raw, f.type)
        return cls(**values)

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> Settings:
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        direct = {k.lower(): v for k, v in overrides.items() if k.lower() in known}
        extra = {k: v for k, v in overrides.items() if k.lower() not in known}
        return replace(self, **direct, extra={**self.extra, **extra})

    @property
    def canvas_config_host_list(self) -> tuple[str, ...]:
        """CAREERPATH_CANVAS_CONFIG_HOSTS, split on commas and spaces."""
        return tuple(h for h in self.canvas_config_hosts.replace(",", " ").split() if h)

    @property
    def uses_dev_secret(self) -> bool:
        return self.secret_key == _DEV_SECRET

    @property
    def outbound_allow_list(self) -> tuple[str, ...]:
        """CAREERPATH_OUTBOUND_ALLOW's hosts and networks; unset: loopback in testing and
        on a loopback base URL, nothing in production."""
        if self.outbound_allow is not None:
            return tuple(e.strip() for e in self.outbound_allow.split(",") if e.strip())
        return OUTBOUND_LOOPBACK if self.testing or self.runs_on_loopback else ()

    @property
    def runs_on_loopback(self) -> bool:
        """The base URL is this machine only (the demo, a developer's laptop)."""
        host = (urlsplit(self.base_url).hostname or "").lower()
        return host in LOOPBACK_HOSTS

    def check_safe_to_serve(self) -> None:
        """Refuse settings that would let anyone forge sessions or guess the admin token.

        Testing, and a base URL on loopback (the demo), may keep the development secret.
        """
        if self.testing:
            return
        if self.uses_dev_secret and not self.runs_on_loopback:
            raise ConfigurationError(
                f"CareerPath refuses to serve {self.base_url} with the development secret "
                "key: set CAREERPATH_SECRET_KEY to a long random value (for example the "
                "output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`).")
        if self.admin_token and len(self.admin_token) < MIN_ADMIN_TOKEN_LENGTH:
            raise ConfigurationError(
                f"CAREERPATH_ADMIN_TOKEN is too short ({len(self.admin_token)} characters): "
                f"use at least {MIN_ADMIN_TOKEN_LENGTH} random characters, or unset it to "
                "turn admin sign-in off.")
        if self.proxy_hops < 0:
            raise ConfigurationError("CAREERPATH_PROXY_HOPS must be 0 or more.")
        if self.launch_idle_minutes < 1:
            raise ConfigurationError("CAREERPATH_LAUNCH_IDLE_MINUTES must be at least 1.")


def _coerce(name: str, raw: str, kind: Any) -> Any:
    kind = str(kind)
    if "bool" in kind:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if "int" in kind:
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(
                f"CAREERPATH_{name.upper()} must be a whole number, got {raw!r}"
            ) from None
    return raw or None if "None" in kind else raw


def service_url_for_tests(name: str) -> str | None:
    """The URL of a test service (CAREERPATH_TEST_POSTGRES_URL, ...), for the test suite."""
    return os.environ.get(f"CAREERPATH_TEST_{name.upper()}_URL") or None


def in_ci() -> bool:
    return bool(os.environ.get("CI"))
