"""The composition root: wires settings, adapters and entry points into one Flask app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

from .config import Settings
from .store.database import Database

EXTENSION = "careerpath"


@dataclass
class Services:
    """The adapters a request, command or job needs, built once per app."""

    settings: Settings
    database: Database


def bootstrap(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app with real adapters (or the ones `config` names, in tests)."""
    settings = Settings.from_env().with_overrides(config)
    app = Flask(__name__, static_folder=None)
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing)
    app.extensions[EXTENSION] = Services(settings=settings,
                                         database=Database(settings.database_url))
    logging.getLogger("lti_tool").setLevel(settings.log_level.upper())
    _register_entry_points(app)
    return app


def services(app: Flask) -> Services:
    """The services wired into `app`."""
    return app.extensions[EXTENSION]


def _register_entry_points(app: Flask) -> None:
    from .web import health

    health.init_app(app)
