"""The adapters a use case that starts syncs or deliveries is handed, as a protocol.

`services.Services` (the composition root's `build_services`, which needs no Flask) satisfies it;
use cases type against this protocol so they never depend on the root or on Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..cache import Cache
    from ..config import Settings
    from ..jobs import JobQueue
    from ..lms.http import HttpClient
    from ..store.database import Database


class Adapters(Protocol):
    """Settings and the real adapters: database, cache, outbound HTTP and the job queue."""

    @property
    def settings(self) -> Settings: ...

    @property
    def database(self) -> Database: ...

    @property
    def cache(self) -> Cache: ...

    @property
    def http(self) -> HttpClient: ...

    @property
    def jobs(self) -> JobQueue: ...
