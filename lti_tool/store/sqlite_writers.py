"""Writers to one SQLite file queue on a kernel file lock, not on SQLite's busy sleeps.

SQLite lets one writer at a time hold a database. A second writer's `BEGIN IMMEDIATE` is
refused with SQLITE_BUSY and the busy handler sleeps 1 ms, then 2, 5, 10 … before trying
again, although the first writer's transaction (a cache entry, a launch's row) lasts a
tenth of a millisecond. Under launch load that left about a tenth of the workers' time
asleep. Here every connection of the tool takes an exclusive `flock` on
`<database>.writers` before `BEGIN IMMEDIATE` and drops it after COMMIT or ROLLBACK, so
writers wait in turn and the next one starts within microseconds of the previous one
ending. Other programs writing the file (the sqlite3 shell) still meet the busy timeout.

The wait is bounded like the busy timeout: after `timeout` seconds the writer gives up
with the same "database is locked" error SQLite would give.
"""

from __future__ import annotations

import os
import sqlite3
import time
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX (Windows): writers queue on SQLite's busy timeout alone
    fcntl = None  # type: ignore[assignment]

AVAILABLE = fcntl is not None

FIRST_PAUSE, LONGEST_PAUSE = 0.00002, 0.001


class WriterLock:
    """One connection's handle on the shared writers' lock file."""

    def __init__(self, path: str, timeout: float) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._timeout = timeout
        self.held = False

    def acquire(self) -> None:
        """Take the lock, pausing briefly (20 µs, doubling up to 1 ms) while another
        connection holds it; `sqlite3.OperationalError` after `timeout` seconds."""
        deadline, pause = time.monotonic() + self._timeout, FIRST_PAUSE
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            self.held = True
            return

    def release(self) -> None:
        if self.held:
            self.held = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.release()
        os.close(self._fd)


class LockingConnection(sqlite3.Connection):
    """A sqlite3 connection that drops its writer lock when its transaction ends."""

    writer_lock: WriterLock | None = None
    checkpointer: Any = None  # the file's WalCheckpointer (store.sqlite_checkpoints)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.writer_lock is not None:
                self.writer_lock.close()
                self.writer_lock = None

    def _release(self) -> None:
        if self.writer_lock is not None:
            self.writer_lock.release()


def begin_immediate(dbapi_connection: Any) -> None:
    """`BEGIN IMMEDIATE` on a sqlite3 connection, holding its writer lock if it has one."""
    begin_write(dbapi_connection, lambda: dbapi_connection.execute("BEGIN IMMEDIATE"))


def begin_write(dbapi_connection: Any, begin: Any) -> None:
    """Run `begin()` (BEGIN IMMEDIATE) holding the connection's writer lock, if it has one."""
    lock = getattr(dbapi_connection, "writer_lock", None)
    if lock is None:
        begin()
        return
    lock.acquire()
    try:
        begin()
    except BaseException:
        lock.release()
        raise
    # a write: the file's WAL checkpoint thread runs while it is written
    # (store.sqlite_checkpoints)
    if dbapi_connection.checkpointer is not None:
        dbapi_connection.checkpointer.ensure_running()
