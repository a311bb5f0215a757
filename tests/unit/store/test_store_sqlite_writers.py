"""Writers to one SQLite file queue on the writers' file lock and always let it go."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from lti_tool.store.sqlite_writers import LockingConnection, WriterLock, begin_write


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = str(tmp_path / "db.writers")
    first, second = WriterLock(path, timeout=5), WriterLock(path, timeout=5)
    first.acquire()
    order: list[str] = []

    def take_second() -> None:
        second.acquire()
        order.append("second")
        second.release()

    waiter = threading.Thread(target=take_second)
    waiter.start()
    waiter.join(timeout=0.2)
    assert waiter.is_alive() and order == [], "the second writer must wait"
    order.append("first done")
    first.release()
    waiter.join(timeout=5)
    assert order == ["first done", "second"]
    first.close()
    second.close()


def test_a_writer_gives_up_like_sqlite_after_the_timeout(tmp_path: Path) -> None:
    path = str(tmp_path / "db.writers")
    holder, late = WriterLock(path, timeout=5), WriterLock(path, timeout=0.05)
    holder.acquire()
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        late.acquire()
    assert not late.held
    holder.close()
    late.close()


def _connection(tmp_path: Path) -> LockingConnection:
    connection = sqlite3.connect(tmp_path / "db.sqlite", factory=LockingConnection,
                                 isolation_level=None)
    connection.writer_lock = WriterLock(str(tmp_path / "db.sqlite.writers"), timeout=1)
    connection.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return connection


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_lock_is_released_when_the_transaction_ends(tmp_path: Path, end: str) -> None:
    connection = _connection(tmp_path)
    begin_write(connection, lambda: connection.execute("BEGIN IMMEDIATE"))
    assert connection.writer_lock is not None and connection.writer_lock.held
    connection.execute("INSERT INTO t VALUES (1)")
    getattr(connection, end)()
    assert not connection.writer_lock.held
    other = WriterLock(str(tmp_path / "db.sqlite.writers"), timeout=0.05)
    other.acquire()  # free again
    other.close()
    connection.close()


def test_a_failed_begin_lets_the_lock_go(tmp_path: Path) -> None:
    connection = _connection(tmp_path)

    def refused() -> None:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError):
        begin_write(connection, refused)
    assert connection.writer_lock is not None and not connection.writer_lock.held
    connection.close()
    assert connection.writer_lock is None, "closing the connection closes its lock file"
