"""Store pages in the background while the next ones are prepared, committed in order.

A sync's results stage does three kinds of work per page: fetch it from the LMS (the
read-ahead thread, lms.read_ahead), map its results to evidence (Python), and store the
evidence with the run's cursor (mostly waiting for the database: PostgreSQL's server
inserting rows, or sqlite3's C code, both without Python's GIL). `WriteBehind` runs the
stores in background threads so that mapping the next page overlaps storing the last.

With one writer (SQLite: one writer at a time anyway) the stores run one after the
other. With several (PostgreSQL: each on its own connection, so the server inserts
several pages' rows on several cores) a store does its page's own inserts at once, then calls the
`turn` it is given: that waits until every store before it has finished, and raises
the first one's error if one failed. Whatever a store does after its turn (the run's
counts and cursor, the commit) therefore happens in submission order, so a run that
stops keeps the same resume point as with one writer: the pages stored are a prefix of
the pages read. Before its turn a store must only write rows no earlier store can
write (the page's new evidence), or two stores could wait for each other.

A store's error is raised to the caller at a later `submit` or at `drain`; no store
submitted after a failed one commits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

Turn = Callable[[], None]


class WriteBehind:
    """`writers` background writers: at most that many stores in flight beside the caller's
    work, each committing after the ones submitted before it (see the module's note)."""

    def __init__(self, writers: int = 1) -> None:
        if writers < 1:
            raise ValueError("a write-behind needs at least one writer")
        self._writers = writers
        self._pool = ThreadPoolExecutor(max_workers=writers, thread_name_prefix="sync-writer")
        self._in_flight: deque[Future[Any]] = deque()

    def submit(self, store: Callable[..., Any], *args: Any) -> list[Any]:
        """Start `store(*args, turn=turn)`, first waiting for the oldest store in flight
        when all writers are busy; the results of the stores that finished (in submission order),
        or the first one's error."""
        finished = []
        while len(self._in_flight) >= self._writers:
            finished.append(self._in_flight.popleft().result())
        before = self._in_flight[-1] if self._in_flight else None
        self._in_flight.append(self._pool.submit(store, *args, turn=_turn_after(before)))
        return finished

    def drain(self) -> list[Any]:
        """Wait for every store in flight; their results in submission order, or the first
        error."""
        finished = []
        while self._in_flight:
            finished.append(self._in_flight.popleft().result())
        return finished

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 _trace: TracebackType | None) -> None:
        """Wait for the stores in flight (the first error is raised unless one is on its
        way already)."""
        try:
            if error is None:
                self.drain()
            else:
                for pending in self._in_flight:
                    pending.exception()  # let it finish; the caller's error goes on
        finally:
            self._pool.shutdown(wait=True)


def _turn_after(before: Future[Any] | None) -> Turn:
    """What a store calls before its ordered part: the previous store's end (its error)."""
    def turn() -> None:
        if before is not None:
            before.result()

    return turn
