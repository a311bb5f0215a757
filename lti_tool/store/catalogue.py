"""A tenant's catalogue (frameworks, scales, roles, lattice), cached per process.

Readiness for one learner needs the whole catalogue of the tenant, which changes rarely
and is the same for every learner: building it from rows on every request dominated the
panel's time. Each process keeps a copy per tenant and drops it when the shared
"catalogue version" moves — bumped on commit by any session that wrote a catalogue table
(in the shared cache, so with Redis every worker sees it) — or after `ttl` seconds,
which bounds staleness when a change came from a process that could not tell this one.

Reading the shared version is itself a round trip (to the database with the default
cache), so it is re-read at most every `version_every` seconds (1 s by default). A change
committed by this process calls `changed()` and is seen by its next request; a change
committed by another process (another worker, a CLI import) may take up to
`version_every` seconds to reach this one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from lti_tool.domain.levels import LevelPolicy
from lti_tool.domain.roles import CareerLattice
from lti_tool.domain.taxonomy import Competency, Framework

from .models import (
    BehaviouralAnchorRow,
    CompetencyRow,
    FrameworkRow,
    RoleRequirementRow,
    RoleRow,
    RoleTransitionRow,
    ScaleLevelRow,
    ScaleRow,
)
from .repositories.roles import lattice_for
from .repositories.statements import pk
from .repositories.taxonomy import frameworks_from_ids
from .table_changes import watch_changes

CATALOGUE_ROWS = (FrameworkRow, CompetencyRow, BehaviouralAnchorRow, ScaleRow, ScaleLevelRow,
                  RoleRow, RoleRequirementRow, RoleTransitionRow)
VERSION_KEY = "catalogue-version"
VERSION_TTL = 365 * 86400


@dataclass(frozen=True)
class Catalogue:
    """What readiness needs from a tenant besides the learner's own data."""

    frameworks: tuple[Framework, ...]
    lattice: CareerLattice
    policies: Mapping[str, LevelPolicy]
    competencies: Mapping[str, tuple[Competency, Framework]]


def load_catalogue(session: Session, tenant_id: int | str) -> Catalogue:
    """Build the tenant's catalogue from the database (a fixed number of statements)."""
    rows = session.scalars(select(FrameworkRow).where(FrameworkRow.tenant_id == pk(tenant_id))
                           .order_by(FrameworkRow.id)).all()
    frameworks = tuple(frameworks_from_ids(session, rows))
    policies = {c.id: LevelPolicy(f.calculation, f.scale.mastery_value)
                for f in frameworks for c in f.competencies}
    competencies: dict[str, tuple[Competency, Framework]] = {}
    for framework in frameworks:
        for competency in framework.competencies:
            competencies.setdefault(competency.id, (competency, framework))
    return Catalogue(frameworks, lattice_for(session, tenant_id), policies, competencies)


class CatalogueCache:
    """Per-process catalogues by tenant, valid while the shared version is unchanged."""

    def __init__(self, version: Callable[[], Any], ttl: float = 60.0,
                 clock: Callable[[], float] = time.monotonic,
                 version_every: float = 1.0) -> None:
        self._version = version
        self._ttl = ttl
        self._clock = clock
        self._version_every = version_every
        self._entries: dict[int, tuple[float, Any, Catalogue]] = {}
        self._known: tuple[float, Any] | None = None  # (read at, shared version)
        self._changes = 0  # local changes, so a read racing one is not remembered
        self._lock = threading.Lock()

    def get(self, session: Session, tenant_id: int | str) -> Catalogue:
        now = self._clock()
        version, changes = self._shared_version(now)
        with self._lock:
            entry = self._entries.get(pk(tenant_id))
        if entry is not None and entry[1] == version and now - entry[0] < self._ttl:
            return entry[2]
        catalogue = load_catalogue(session, tenant_id)
        with self._lock:
            if self._changes == changes:  # else it may predate a change made meanwhile
                self._entries[pk(tenant_id)] = (now, version, catalogue)
        return catalogue

    def changed(self) -> None:
        """This process committed a catalogue change: drop its copies and read the shared
        version again on the next `get` (the change is seen here at once)."""
        with self._lock:
            self._changes += 1
            self._entries.clear()
            self._known = None

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._known = None

    def _shared_version(self, now: float) -> tuple[Any, int]:
        """The shared version (read again when the last reading is `version_every` old) and
        the count of local changes it was read after."""
        with self._lock:
            known, changes = self._known, self._changes
        if known is not None and now - known[0] < self._version_every:
            return known[1], changes
        version = self._version()
        with self._lock:
            if self._changes == changes:  # else a local change raced this reading
                self._known = (now, version)
        return version, changes


def watch_catalogue_changes(sessions: sessionmaker[Session], on_change: Callable[[], None]
                            ) -> None:
    """Call `on_change` after every commit that wrote a catalogue table (ORM or Core DML)."""
    watch_changes(sessions, CATALOGUE_ROWS, "catalogue", on_change)
