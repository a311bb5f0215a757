"""Store a page in the background while the next one is prepared.

A sync's results stage does three kinds of work per page: fetch it from the LMS (the
read-ahead thread, lms.read_ahead), map its results to evidence (Python), and store the
evidence with the run's cursor (mostly waiting for the database: PostgreSQL's server
inserting rows, or sqlite3's C code, both without Python's GIL). `WriteBehind` runs the
stores in one background thread, in the order they were given and one at a time, so that
mapping the next page overlaps storing the last. Each store commits its page with that
page's cursor, so a run that stops keeps the same resume point as without write-behind:
the pages stored are a prefix of the pages read.

A store's error is raised to the caller at its next `submit` or at `drain`; nothing
submitted after a failed store runs.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class WriteBehind:
    """One background writer: at most one store in flight beside the caller's work."""

    def __init__(self) -> None:
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-writer")
        self._pending: Future[Any] | None = None

    def submit(self, store: Callable[..., T], *args: Any) -> Any:
        """Start `store(*args)` once the previous store has finished; that one's result
        (None for the first), or its error."""
        previous = self.drain()
        self._pending = self._writer.submit(store, *args)
        return previous

    def drain(self) -> Any:
        """Wait for the store in flight; its result (None if there is none), or its error."""
        pending, self._pending = self._pending, None
        return None if pending is None else pending.result()

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 _trace: TracebackType | None) -> None:
        """Wait for the store in flight (its error is raised unless one is on its way)."""
        try:
            if error is None:
                self.drain()
            elif self._pending is not None:
                self._pending.exception()  # let it finish; the caller's error goes on
        finally:
            self._writer.shutdown(wait=True)
