"""The composition root's Flask-free half: settings in, the adapters every entry point uses.

`build_services(settings)` wires the real adapters (database, cache, outbound HTTP, job
queue); a test hands in its own for any of them. The app factory (`bootstrap`), the CLI
commands and the RQ jobs all call it; none of this imports Flask.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import InitVar, dataclass, field
from typing import Any

from .cache import Cache, MemoryCache, cache_for
from .config import Settings
from .domain.errors import ConfigurationError
from .jobs import JobQueue
from .lms.http import HttpClient, new_session
from .lti.platform_keys import PlatformKeys
from .lti.registrations import RecentRegistrations
from .outbound import AllowList
from .store.catalogue import VERSION_KEY, VERSION_TTL, CatalogueCache, watch_catalogue_changes
from .store.database import Database as Database  # commands type the handle they open
from .store.database_cache import DatabaseCache
from .store.learner_data import (
    ANYONES_DATA_VERSION_KEY,
    LEARNER_DATA_VERSION_KEY,
    person_data_version_key,
    watch_people_data_changes,
)

# how long a process distrusts the shared versions after failing to move one on: longer than
# any copy keyed by them lives (widgets.page_cache keeps pages for five)
UNANNOUNCED_DISTRUST = 600.0


@dataclass
class Services:
    """The adapters a request, command or job needs, built once per process."""

    settings: Settings
    database: Database
    cache: Cache
    http: HttpClient
    platform_keys: PlatformKeys
    # this process's copies of figures that may lag a little (platform key sets for 10 s,
    # social proof for a minute): never login state, sessions or anything one-use
    local: MemoryCache = field(default_factory=MemoryCache)
    queue: InitVar[JobQueue | None] = None  # None: RQ with Redis, else a thread
    catalogue: CatalogueCache = field(init=False)
    registrations: RecentRegistrations = field(init=False)
    jobs: JobQueue = field(init=False)
    keeps_pages: bool = field(init=False)

    def __post_init__(self, queue: JobQueue | None) -> None:
        self.registrations = RecentRegistrations(self.database)
        self.catalogue = CatalogueCache(lambda: self.cache.get(VERSION_KEY) or 0)
        watch_catalogue_changes(self.database.session_factory, self._catalogue_changed)
        self._local_changes = 0  # commits of learner data or catalogue by this process
        self._unannounced_until = 0.0  # monotonic time; see shared_versions_trusted
        watch_people_data_changes(self.database.session_factory, self._learner_data_changed)
        self.jobs = queue if queue is not None else self._job_queue()
        # rendered pages go to Redis or this process's memory, not to the database's table
        self.keeps_pages = not isinstance(self.cache, DatabaseCache)

    def _job_queue(self) -> JobQueue:
        from .jobs import RqJobs, ThreadJobs
        from .usecases.sync.jobs import run_sync

        if self.settings.redis_url:
            return RqJobs(self.settings.redis_url)
        return ThreadJobs(lambda course_id, trigger: run_sync(self, course_id, trigger))

    def data_version(self) -> tuple[int, int, int]:
        """Where the catalogue and the learner data stand: a key for figures computed over
        a course (this process's own changes count at once, other processes' through the
        shared cache)."""
        return (self.cache.get(VERSION_KEY) or 0, self.cache.get(LEARNER_DATA_VERSION_KEY)
                or 0, self._local_changes)

    def person_versioned_get(self, person_id: int, key: str,
                             read: Mapping[str, Any] | None = None
                             ) -> tuple[tuple[int, int, int], Any | None]:
        """Where what one person's pages show stands (the catalogue's version, the version
        of learner data that may concern anyone, the person's own data's version) and the
        shared cache's value of `key`, read together (one round trip with Redis; none when
        `read` already holds every one of `person_version_keys`): a value kept with the
        versions it was computed at is current while they still match."""
        keys = self.person_version_keys(person_id, key)
        if read is not None and all(k in read for k in keys):
            values = [read[k] for k in keys]
        else:
            values = self.cache.get_many(keys)
        catalogue, anyones, own, value = values
        return (int(catalogue or 0), int(anyones or 0), int(own or 0)), value

    @staticmethod
    def person_version_keys(person_id: int, key: str) -> tuple[str, str, str, str]:
        """The shared-cache keys `person_versioned_get` reads, in order."""
        return (VERSION_KEY, ANYONES_DATA_VERSION_KEY, person_data_version_key(person_id), key)

    def shared_versions_trusted(self) -> bool:
        """False for a while after this process failed to announce a change of its own:
        other processes' copies keyed by the shared versions may then be stale here."""
        return time.monotonic() >= self._unannounced_until

    def _learner_data_changed(self, people: frozenset[int] | None) -> None:
        """After a commit that wrote learner data: a new version of learner data (figures
        over a course) and of the people it wrote, or of anyone's data when its people are
        not known (see person_versioned_get); here at once, and shared in one step."""
        self._local_changes += 1
        keys = ([ANYONES_DATA_VERSION_KEY] if people is None
                else [person_data_version_key(person) for person in sorted(people)])
        self._announce([LEARNER_DATA_VERSION_KEY, *keys], "a learner data change could not "
                       "be announced to other processes; their course figures and kept "
                       "pages may lag for five minutes")

    def _catalogue_changed(self) -> None:
        """Tell this process at once, then every process (the shared version).

        Runs after the commit: a shared cache that cannot be reached must not turn a saved
        change into an error. Other processes then see it when their copy's time-to-live
        (60 s) ends; the failure is logged.
        """
        self.catalogue.changed()
        self._local_changes += 1
        self._announce([VERSION_KEY], "a catalogue change was saved but could not be "
                       "announced to other processes; they will see it within 60 s")

    def _announce(self, keys: list[str], what_lags: str) -> None:
        """Move each shared version of `keys` on. After a commit, so a shared cache that
        cannot be reached is logged (`what_lags`), not raised, and this process then trusts
        no copy keyed by the shared versions for a while (`shared_versions_trusted`)."""
        try:
            self.cache.bump(keys, VERSION_TTL)
        except Exception:  # noqa: BLE001 - logged; the change is committed and seen here
            self._unannounced_until = time.monotonic() + UNANNOUNCED_DISTRUST
            logging.getLogger(__name__).warning("%s (shared cache unreachable)", what_lags,
                                                exc_info=True)


def build_services(settings: Settings, *, database: Database | None = None,
                   cache: Cache | None = None, http: HttpClient | None = None,
                   jobs: JobQueue | None = None) -> Services:
    """The adapters for `settings`: the real ones (Redis when configured, the database,
    outbound HTTP, a job queue), except those handed in."""
    if settings.cache not in ("database", "memory"):
        raise ConfigurationError(f"CAREERPATH_CACHE must be 'database' or 'memory', got "
                                 f"{settings.cache!r}")
    if database is None:
        database = open_database(settings)
    if cache is None:
        shared = (None if settings.cache == "memory" or settings.redis_url
                  else DatabaseCache(database))
        cache = cache_for(settings.redis_url, shared)
    http, local = http if http is not None else _outbound_http_for(settings), MemoryCache()
    return Services(settings=settings, database=database, cache=cache, http=http,
                    platform_keys=PlatformKeys(cache, http.fetch_json, local), local=local,
                    queue=jobs)


def open_database(settings: Settings) -> Database:
    """The database the settings name, for commands that need no other adapter."""
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


def _outbound_http_for(settings: Settings) -> HttpClient:
    # tests may hand in a stub resolver (and connector) so that name-based cases never
    # reach a real DNS server or a non-loopback address
    wired = {name: settings.extra[f"outbound_{name}"] for name in ("resolver", "connector")
             if settings.extra.get(f"outbound_{name}") is not None}
    return outbound_http(settings, **wired)
