"""The composition root: wires settings, adapters and entry points into one Flask app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .cache import Cache, MemoryCache, cache_for
from .config import Settings
from .domain.errors import ConfigurationError
from .jobs import JobQueue
from .lms.http import HttpClient, new_session
from .lti.platform_keys import PlatformKeys
from .lti.registrations import RecentRegistrations
from .outbound import AllowList
from .resources import static_dir
from .store.catalogue import VERSION_KEY, VERSION_TTL, CatalogueCache, watch_catalogue_changes
from .store.database import Database as Database  # commands type the handle they open
from .store.database_cache import DatabaseCache
from .store.learner_data import LEARNER_DATA_VERSION_KEY, watch_learner_data_changes

EXTENSION = "careerpath"
# the largest request body any view reads (imports raise their own limit: api.imports)
MAX_CONTENT_LENGTH = 1024 * 1024


@dataclass
class Services:
    """The adapters a request, command or job needs, built once per app."""

    settings: Settings
    database: Database
    cache: Cache
    http: HttpClient
    platform_keys: PlatformKeys
    # this process's copies of figures that may lag a little (platform key sets for 10 s,
    # social proof for a minute): never login state, sessions or anything one-use
    local: MemoryCache = field(default_factory=MemoryCache)
    catalogue: CatalogueCache = field(init=False)
    registrations: RecentRegistrations = field(init=False)
    jobs: JobQueue = field(init=False)

    def __post_init__(self) -> None:
        self.registrations = RecentRegistrations(self.database)
        self.catalogue = CatalogueCache(lambda: self.cache.get(VERSION_KEY) or 0)
        watch_catalogue_changes(self.database.session_factory, self._catalogue_changed)
        self._local_changes = 0  # commits of learner data or catalogue by this process
        watch_learner_data_changes(self.database.session_factory, self._learner_data_changed)
        from .jobs import RqJobs, ThreadJobs
        from .usecases.sync_jobs import run_sync

        if self.settings.redis_url:
            self.jobs = RqJobs(self.settings.redis_url)
        else:
            self.jobs = ThreadJobs(lambda course_id, trigger: run_sync(self, course_id, trigger))

    def data_version(self) -> tuple[int, int, int]:
        """Where the catalogue and the learner data stand: a key for figures computed over
        a course (this process's own changes count at once, other processes' through the
        shared cache)."""
        return (self.cache.get(VERSION_KEY) or 0, self.cache.get(LEARNER_DATA_VERSION_KEY)
                or 0, self._local_changes)

    def _learner_data_changed(self) -> None:
        """After a commit that wrote learner data: a new version, here and shared."""
        self._local_changes += 1
        try:
            self.cache.incr(LEARNER_DATA_VERSION_KEY, VERSION_TTL)
        except Exception:  # noqa: BLE001 - logged; this process has seen it already
            logging.getLogger(__name__).warning(
                "a learner data change could not be announced to other processes (shared "
                "cache unreachable); their course figures may lag", exc_info=True)

    def _catalogue_changed(self) -> None:
        """Tell this process at once, then every process (the shared version).

        Runs after the commit: a shared cache that cannot be reached must not turn a saved
        change into an error. Other processes then see it when their copy's time-to-live
        (60 s) ends; the failure is logged.
        """
        self.catalogue.changed()
        self._local_changes += 1
        try:
            self.cache.incr(VERSION_KEY, VERSION_TTL)
        except Exception:  # noqa: BLE001 - logged; the change is committed and seen here
            logging.getLogger(__name__).warning(
                "a catalogue change was saved but could not be announced to other "
                "processes (shared cache unreachable); they will see it within 60 s",
                exc_info=True)


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


def build_services(settings: Settings) -> Services:
    """Real adapters for the settings: Redis when configured, the database, HTTP."""
    if settings.cache not in ("database", "memory"):
        raise ConfigurationError(f"CAREERPATH_CACHE must be 'database' or 'memory', got "
                                 f"{settings.cache!r}")
    database = Database(settings.database_url)
    shared = None if settings.cache == "memory" else DatabaseCache(database)
    cache = cache_for(settings.redis_url, shared)
    # tests may hand in a stub resolver (and connector) so that name-based cases never
    # reach a real DNS server or a non-loopback address
    wired = {name: settings.extra[f"outbound_{name}"] for name in ("resolver", "connector")
             if settings.extra.get(f"outbound_{name}") is not None}
    http, local = outbound_http(settings, **wired), MemoryCache()
    return Services(settings=settings, database=database, cache=cache, http=http,
                    platform_keys=PlatformKeys(cache, http.fetch_json, local), local=local)


def open_database(settings: Settings) -> Database:
    """The database the settings name, for commands that need no app or other adapter."""
    return Database(settings.database_url)


def outbound_allow(settings: Settings) -> AllowList:
    """The operator's CAREERPATH_OUTBOUND_ALLOW, parsed (a bad entry stops the start)."""
    try:
        return AllowList.parse(settings.outbound_allow_list)
    except ValueError as exc:
        raise ConfigurationError(f"CAREERPATH_OUTBOUND_ALLOW: {exc}") from None


def outbound_http(settings: Settings, **options: Any) -> HttpClient:
    """The HTTP client of every call to a URL someone else chose (options: a resolver or
    connector for tests)."""
    session = new_session(outbound_allow(settings), **options)
    return HttpClient(session, page_bytes=settings.outbound_page_mb * 1024 * 1024)


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
    from .web import badge_pages, health, security_headers, translations

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
