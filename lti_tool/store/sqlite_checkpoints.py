"""SQLite's WAL is copied back into the database by a background thread, not by a request.

In WAL mode SQLite checkpoints on its own when a commit leaves more than 1,000 pages in
the WAL: that commit copies them into the database file and syncs both files, while its
connection still holds the writers' lock. Under launch load that was one commit in 220,
taking 4–7 ms instead of 40 µs, with every other writer of the file waiting behind it:
the slowest launches. Here, while a process writes the file, one thread of that process
asks for a PASSIVE checkpoint every `CHECKPOINT_SECONDS`: it copies what no reader still
needs, without taking the writers' lock, so under launch load the WAL does not reach
SQLite's threshold and commits stay short. SQLite's own checkpoint is left as it is, for
bursts of writes (a sync) that outrun the thread.

Every write transaction calls `ensure_running` (store.sqlite_writers.begin_write); the
thread ends after `IDLE_SECONDS` without new WAL pages, so a process that stopped writing,
or a Database nobody disposed, keeps no thread. It opens its own connection, never
creating the file, and also ends when the engine is disposed or collected, or the file
is gone.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from typing import Any

CHECKPOINT_SECONDS = 0.1
IDLE_SECONDS = 2.0


class WalCheckpointer:
    """One database file's checkpoint thread in this process, running while it is written."""

    def __init__(self, path: str, interval: float = CHECKPOINT_SECONDS,
                 idle_seconds: float = IDLE_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self.idle_rounds = max(1, round(idle_seconds / interval))
        self.rounds = 0  # checkpoints asked for (tests read it)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0  # the process whose thread is running, 0 when none is
        this = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: _forked(this))

    def watch(self, engine: Any) -> None:
        """Stop for good when `engine` is garbage collected (disposing it stops it sooner)."""
        weakref.finalize(engine, self._stop.set)

    def ensure_running(self) -> None:
        """Start the thread in this process if it is not running (cheap when it is)."""
        if self._pid == os.getpid() or self._stop.is_set():
            return
        with self._lock:
            if self._pid == os.getpid() or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint",
                                            daemon=True)
            self._pid = os.getpid()
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread() and thread.is_alive():
            thread.join(timeout=5)

    def after_fork(self) -> None:
        """In a forked child: fresh thread primitives; the thread starts on the next write."""
        stopped = self._stop.is_set()
        self._stop, self._lock, self._thread, self._pid = (threading.Event(),
                                                           threading.Lock(), None, 0)
        if stopped:
            self._stop.set()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        idle, last = 0, None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if connection is None:
                        connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True,
                                                     timeout=0, isolation_level=None,
                                                     check_same_thread=False)
                    state = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.rounds += 1
                except sqlite3.OperationalError:
                    if not os.path.exists(self.path):
                        return  # the database was removed: nothing left to checkpoint
                    state = None
                idle = idle + 1 if state == last else 0
                last = state
                if idle >= self.idle_rounds:
                    return  # nothing written for a while: the next write starts another
        finally:
            if connection is not None:
                connection.close()
            with self._lock:
                if self._thread is threading.current_thread():
                    self._pid = 0


def _forked(checkpointer: weakref.ref[WalCheckpointer]) -> None:
    found = checkpointer()
    if found is not None:
        found.after_fork()
