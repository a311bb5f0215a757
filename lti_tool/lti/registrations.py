"""The registration an OIDC login names, kept by this process for a few seconds.

Every login looks up its platform's registration by (issuer, client_id); registrations
change rarely. Each process keeps the ones it found for `TTL` seconds and forgets them all
as soon as one of its own sessions commits a change to a registration. A change made by
another process (another worker, `careerpath platform remove`) reaches this one within
`TTL` seconds. A login only redirects the browser to the platform: the launch that
follows reads the registration afresh, so a just-removed platform still cannot launch.
Unknown platforms are not remembered: a stream of made-up issuers costs no memory here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..records import PlatformRegistration
from ..store.database import Database
from ..store.models import PlatformRegistrationRow
from ..store.repositories.lti import LtiRepository
from ..store.table_changes import watch_changes

TTL = 5.0
MAX_KEPT = 1024


class RecentRegistrations:
    """Registrations by (issuer, client_id), read through to the database."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.monotonic,
                 ttl: float = TTL) -> None:
        self._database = database
        self._clock, self._ttl = clock, ttl
        self._kept: dict[tuple[str, str], tuple[float, PlatformRegistration]] = {}
        self._generation = 0  # moves on every forget(): a read that raced one is not kept
        self._lock = threading.Lock()
        watch_changes(database.session_factory, (PlatformRegistrationRow,), "registrations",
                      self.forget)

    def find(self, issuer: str, client_id: str) -> PlatformRegistration | None:
        key, now = (issuer, client_id), self._clock()
        with self._lock:
            kept, generation = self._kept.get(key), self._generation
        if kept is not None and kept[0] > now:
            return kept[1]
        with self._database.read_session() as session:
            found = LtiRepository(session).registration(issuer, client_id)
        if found is not None:
            with self._lock:
                if generation == self._generation:
                    if len(self._kept) >= MAX_KEPT:
                        self._kept.clear()
                    self._kept[key] = (now + self._ttl, found)
        return found

    def forget(self) -> None:
        with self._lock:
            self._kept.clear()
            self._generation += 1
