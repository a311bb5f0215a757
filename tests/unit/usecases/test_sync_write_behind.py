"""Write-behind: stores in background writers, committed in submission order, errors
raised in place, nothing committed after a failed store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from lti_tool.usecases.sync.write_behind import WriteBehind


class Stores:
    """Numbered stores noting their order, thread and overlap; one may fail.

    Each store sleeps `work(number)` seconds before its turn (its own inserts), then calls
    the turn and notes itself as committed: the order of `committed` is the commit order."""

    def __init__(self, fail_at: int | None = None,
                 work: Callable[[int], float] = lambda _n: 0.002) -> None:
        self.committed: list[int] = []
        self.threads: set[str] = set()
        self.running = 0
        self.most_at_once = 0
        self.fail_at = fail_at
        self.work = work
        self.lock = threading.Lock()

    def __call__(self, number: int, *, turn: Callable[[], None]) -> int:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.threads.add(threading.current_thread().name)
        try:
            time.sleep(self.work(number))
            if number == self.fail_at:
                raise RuntimeError(f"store {number} failed")
            turn()
            self.committed.append(number)
            return number
        finally:
            with self.lock:
                self.running -= 1


def test_one_writer_stores_in_order_in_one_other_thread_one_at_a_time() -> None:
    stores = Stores()
    returned = []
    with WriteBehind() as writer:
        for number in range(6):
            returned.append(writer.submit(stores, number))
        returned.append(writer.drain())
    assert stores.committed == [0, 1, 2, 3, 4, 5]
    assert returned == [[], [0], [1], [2], [3], [4], [5]]  # each submit: the one before
    assert stores.most_at_once == 1
    assert len(stores.threads) == 1 and threading.current_thread().name not in stores.threads


def test_several_writers_overlap_but_commit_in_submission_order() -> None:
    # later stores finish their own work first: the turn still orders their commits
    stores = Stores(work=lambda number: 0.03 if number % 3 == 0 else 0.001)
    finished = []
    with WriteBehind(writers=3) as writer:
        for number in range(9):
            finished += writer.submit(stores, number)
        finished += writer.drain()
    assert stores.committed == list(range(9))
    assert finished == list(range(9))
    assert stores.most_at_once == 3
    assert len(stores.threads) == 3


def test_at_most_as_many_stores_in_flight_as_writers() -> None:
    stores = Stores(work=lambda _n: 0.01)
    with WriteBehind(writers=2) as writer:
        for number in range(8):
            writer.submit(stores, number)
    assert stores.most_at_once == 2
    assert stores.committed == list(range(8))


def test_the_caller_works_while_a_store_runs() -> None:
    started, release = threading.Event(), threading.Event()

    def slow_store(*, turn: Callable[[], None]) -> str:
        started.set()
        assert release.wait(5)
        turn()
        return "stored"

    with WriteBehind() as writer:
        writer.submit(slow_store)
        assert started.wait(5)  # the store runs while the caller goes on
        release.set()
        assert writer.drain() == ["stored"]


@pytest.mark.parametrize("writers", [1, 3])
def test_a_failed_store_is_raised_at_a_later_submit_and_nothing_after_it_commits(
        writers: int) -> None:
    stores = Stores(fail_at=2)
    submitted = []
    with pytest.raises(RuntimeError, match="store 2 failed"), \
            WriteBehind(writers=writers) as writer:
        for number in range(8):
            writer.submit(stores, number)
            submitted.append(number)
    assert stores.committed == [0, 1]
    # the failure is raised once the failed store is the oldest in flight
    assert submitted == list(range(2 + writers))


def test_a_store_waiting_for_its_turn_gets_the_failed_ones_error() -> None:
    """The store after a failed one is already running with several writers: its turn
    raises the earlier error, so it never reaches its commit."""
    reached_turn, turn_errors = threading.Event(), []
    stores = Stores(fail_at=0, work=lambda n: 0.05 if n == 0 else 0.0)

    def second(*, turn: Callable[[], None]) -> None:
        reached_turn.set()
        try:
            turn()
        except RuntimeError as error:
            turn_errors.append(str(error))
            raise

    with pytest.raises(RuntimeError, match="store 0 failed"), \
            WriteBehind(writers=2) as writer:
        writer.submit(stores, 0)
        writer.submit(second)
        assert reached_turn.wait(5)
        writer.drain()
    assert turn_errors == ["store 0 failed"]
    assert stores.committed == []


def test_the_last_store_failing_is_raised_at_the_end() -> None:
    stores = Stores(fail_at=1)
    with pytest.raises(RuntimeError, match="store 1 failed"), WriteBehind() as writer:
        writer.submit(stores, 0)
        writer.submit(stores, 1)
    assert stores.committed == [0]


@pytest.mark.parametrize("writers", [1, 2])
def test_the_callers_error_waits_for_the_stores_in_flight(writers: int) -> None:
    stores = Stores(work=lambda _n: 0.02)
    with pytest.raises(ConnectionError), WriteBehind(writers=writers) as writer:
        for number in range(writers):
            writer.submit(stores, number)
        raise ConnectionError("the next page did not come")
    assert stores.committed == list(range(writers))  # finished (and committed) first
    assert not [t for t in threading.enumerate() if t.name.startswith("sync-writer")]


def test_a_write_behind_needs_a_writer() -> None:
    with pytest.raises(ValueError, match="at least one writer"):
        WriteBehind(writers=0)
