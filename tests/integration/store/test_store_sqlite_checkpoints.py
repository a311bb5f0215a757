"""A SQLite file's WAL is checkpointed by a background thread, so commits stay short."""

from __future__ import annotations

import gc
import sqlite3
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text

from lti_tool.store import Database
from lti_tool.store.sqlite_checkpoints import WalCheckpointer

SQLITE_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default, left as it is


def _wait_for(condition, seconds: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sqlite-wal-checkpoint"]


def _backfilled(path: Path) -> tuple[int, int]:
    """(frames in the WAL, frames already copied into the database), read from the
    WAL-index without checkpointing anything: mxFrame at byte 16 and nBackfill at byte 96
    of the -shm file, in native byte order (https://www.sqlite.org/walformat.html)."""
    header = Path(f"{path}-shm").read_bytes()[:100]
    return (int.from_bytes(header[16:20], sys.byteorder),
            int.from_bytes(header[96:100], sys.byteorder))


def test_commits_are_checkpointed_by_the_thread_not_by_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "tool.db"
    db = Database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            s.execute(text("CREATE TABLE t (n INTEGER)"))
        with db.read_session() as s:
            assert s.execute(text("PRAGMA wal_autocheckpoint")).scalar() == \
                SQLITE_AUTOCHECKPOINT_PAGES
        for n in range(50):
            with db.session() as s:
                s.execute(text("INSERT INTO t VALUES (:n)"), {"n": n})
        assert len([t for t in _threads() if t.is_alive()]) >= 1
        # no commit came near SQLite's own threshold: what is copied back, the thread copied
        assert 50 < _backfilled(path)[0] < SQLITE_AUTOCHECKPOINT_PAGES
        assert _wait_for(lambda: (lambda log, done: done == log)(*_backfilled(path)))
    finally:
        db.dispose()


def _used_database(path: Path) -> tuple[Database, threading.Thread]:
    """A Database on `path` that has opened a connection, and the thread that started."""
    before = {t.ident for t in _threads()}
    db = Database(f"sqlite:///{path}")
    with db.session() as s:
        s.execute(text("SELECT 1"))
    started = [t for t in _threads() if t.ident not in before]
    assert len(started) == 1
    return db, started[0]


def test_disposing_the_database_stops_its_thread(tmp_path: Path) -> None:
    db, thread = _used_database(tmp_path / "tool.db")
    db.dispose()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_a_database_dropped_without_dispose_stops_its_thread(tmp_path: Path) -> None:
    db, thread = _used_database(tmp_path / "tool.db")
    del db
    gc.collect()
    assert _wait_for(lambda: not thread.is_alive())


def test_the_thread_never_creates_a_database_and_ends_when_it_is_gone(tmp_path: Path) -> None:
    path = tmp_path / "gone.db"
    checkpointer = WalCheckpointer(str(path), interval=0.01)
    checkpointer.ensure_running()
    thread = checkpointer._thread  # noqa: SLF001 - the thread under test
    assert thread is not None
    thread.join(timeout=5)
    assert not thread.is_alive() and not path.exists() and checkpointer.rounds == 0


def test_a_forked_child_starts_its_own_thread(tmp_path: Path) -> None:
    path = tmp_path / "tool.db"
    sqlite3.connect(path).close()
    checkpointer = WalCheckpointer(str(path), interval=0.01)
    checkpointer.ensure_running()
    assert _wait_for(lambda: checkpointer.rounds > 0)
    first, first_stop = checkpointer._thread, checkpointer._stop  # noqa: SLF001
    try:
        checkpointer.after_fork()  # what os.register_at_fork runs in a child
        assert checkpointer._thread is None  # noqa: SLF001 - the parent's is not the child's
        checkpointer.ensure_running()
        second = checkpointer._thread  # noqa: SLF001
        assert second is not None and second is not first and second.is_alive()
        checkpointer.stop()
        assert not second.is_alive()
    finally:
        first_stop.set()  # in a real child the parent's thread does not exist
    assert first is not None
    first.join(timeout=5)


def test_the_thread_ends_when_the_file_is_not_written_and_a_write_restarts_it(
        tmp_path: Path) -> None:
    path = tmp_path / "tool.db"
    with sqlite3.connect(path) as writer:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE t (n INTEGER)")
    checkpointer = WalCheckpointer(str(path), interval=0.01, idle_seconds=0.1)
    try:
        checkpointer.ensure_running()
        first = checkpointer._thread  # noqa: SLF001 - the thread under test
        assert first is not None
        first.join(timeout=5)
        assert not first.is_alive() and checkpointer.rounds >= 10  # idle: ended by itself
        checkpointer.ensure_running()  # what the next write transaction does
        second = checkpointer._thread  # noqa: SLF001
        assert second is not None and second is not first and second.is_alive()
    finally:
        checkpointer.stop()


def test_an_unwritten_database_starts_no_thread(tmp_path: Path) -> None:
    before = {t.ident for t in _threads()}
    db = Database(f"sqlite:///{tmp_path / 'tool.db'}")
    try:
        with db.read_session() as s:
            s.execute(text("SELECT 1"))
        assert not [t for t in _threads() if t.ident not in before]
    finally:
        db.dispose()
