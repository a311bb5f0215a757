"""SQLite's WAL is copied back into the database by a background thread, not by a request.

In WAL mode SQLite checkpoints on its own when a commit leaves more than 1,000 pages in
the WAL: that commit copies them into the database file and syncs both files, while its
connection still holds the writers' lock. Under launch load that was one commit in 220,
taking 4–7 ms instead of 40 µs, with every other writer of the file waiting behind it:
the slowest launches. Here each process that opens the file runs one thread that asks for
a PASSIVE checkpoint every `CHECKPOINT_SECONDS`: it copies what no reader still needs,
without taking the writers' lock, so under launch load the WAL never reaches SQLite's
threshold and commits stay short. SQLite's own checkpoint is left as it is, for bursts of
writes (a sync) that outrun the thread.

The thread holds its own connection (opened on its first round, never creating the file)
and ends when the engine is disposed or garbage collected, or when the file is gone.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from typing import Any

CHECKPOINT_SECONDS = 0.1


class WalCheckpointer:
    """One database file's checkpoint thread in this process (restarted after a fork)."""

    def __init__(self, path: str, interval: float = CHECKPOINT_SECONDS) -> None:
        self.path = path
        self.interval = interval
        self.rounds = 0  # checkpoints asked for (tests read it)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        this = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: _forked(this))

    def watch(self, engine: Any) -> None:
        """Stop when `engine` is garbage collected (disposing it stops it sooner)."""
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
        if thread is not None and self._pid == os.getpid() and thread.is_alive():
            thread.join(timeout=5)

    def after_fork(self) -> None:
        """In a forked child: fresh thread primitives; the thread starts on next use."""
        stopped = self._stop.is_set()
        self._stop, self._lock, self._thread, self._pid = (threading.Event(),
                                                           threading.Lock(), None, 0)
        if stopped:
            self._stop.set()

    def _run(self) -> None:
        connection: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self.interval):
                try:
                    if connection is None:
                        connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True,
                                                     timeout=0, isolation_level=None,
                                                     check_same_thread=False)
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.rounds += 1
                except sqlite3.OperationalError:
                    if not os.path.exists(self.path):
                        return  # the database was removed: nothing left to checkpoint
        finally:
            if connection is not None:
                connection.close()


def _forked(checkpointer: weakref.ref[WalCheckpointer]) -> None:
    found = checkpointer()
    if found is not None:
        found.after_fork()
