"""The composition root's Flask half: the app factory wires `build_services` into one app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings
from .resources import static_dir
from .services import Database as Database  # commands type the handle they open
from .services import Services as Services
from .services import build_services as build_services
from .services import open_database as open_database
from .services import outbound_allow as outbound_allow
from .services import outbound_http as outbound_http

EXTENSION = "careerpath"
# the largest request body any view reads (imports raise their own limit: api.imports)
MAX_CONTENT_LENGTH = 1024 * 1024


def bootstrap(config: Mapping[str, Any] | None = None) -> Flask:
    """Create the app with real adapters (or the ones `config` names, in tests)."""
    settings = Settings.from_env().with_overrides(config)
    settings.check_safe_to_serve()
    app = Flask(__name__, static_folder=str(static_dir()), static_url_path="/static")
    app.config.update(SECRET_KEY=settings.secret_key, TESTING=settings.testing,
                      PREFERRED_URL_SCHEME=settings.base_url.split(":", 1)[0],
                      MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH)
    if settings.proxy_hops:
        # trust exactly that many proxies' X-Forwarded-For/-Proto/-Host; none by default
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions[EXTENSION] = build_services(settings)
    logging.getLogger("lti_tool").setLevel(settings.log_level.upper())
    _register_entry_points(app)
    return app


def ensure_tool_key(app: Flask) -> None:
    """Make the tool's first signing key when there is none (on first start)."""
    from .usecases.tool_keys import ensure_signing_key

    svc = services(app)
    ensure_signing_key(svc.database, svc.settings.secret_key, datetime.now(UTC))


def services(app: Flask) -> Services:
    """The services wired into `app`."""
    return app.extensions[EXTENSION]


def _register_entry_points(app: Flask) -> None:
    import widgets

    from . import admin, api
    from .lti import deep_linking_views, registration_views
    from .lti import views as lti_views
    from .web import badge_pages, health, no_cookie_session, security_headers, translations

    no_cookie_session.init_app(app)
    security_headers.init_app(app)
    translations.init_app(app)
    health.init_app(app)
    lti_views.init_app(app)
    deep_linking_views.init_app(app)
    registration_views.init_app(app)
    api.init_app(app)
    widgets.init_app(app)
    admin.init_app(app)
    badge_pages.init_app(app)
