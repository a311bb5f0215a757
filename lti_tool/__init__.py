"""CareerPath LTI: career paths, competencies and next-role readiness inside any LMS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the services, jobs and commands import this package without Flask
    from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application; `config` overrides settings read from the environment."""
    from .bootstrap import bootstrap

    return bootstrap(config)
