"""Write-behind: stores in order in one other thread, one at a time, errors raised in place."""

from __future__ import annotations

import threading
import time

import pytest

from lti_tool.usecases.sync.write_behind import WriteBehind


class Stores:
    """Numbered stores noting their order, thread and overlap; one may fail."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.done: list[int] = []
        self.threads: set[str] = set()
        self.running = 0
        self.most_at_once = 0
        self.fail_at = fail_at
        self.lock = threading.Lock()

    def __call__(self, number: int) -> int:
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        self.threads.add(threading.current_thread().name)
        time.sleep(0.002)
        with self.lock:
            self.running -= 1
        if number == self.fail_at:
            raise RuntimeError(f"store {number} failed")
        self.done.append(number)
        return number


def test_stores_run_in_order_in_one_other_thread_one_at_a_time() -> None:
    stores = Stores()
    returned = []
    with WriteBehind() as writer:
        for number in range(6):
            returned.append(writer.submit(stores, number))
        returned.append(writer.drain())
    assert stores.done == [0, 1, 2, 3, 4, 5]
    assert returned == [None, 0, 1, 2, 3, 4, 5]  # each submit hands back the one before
    assert stores.most_at_once == 1
    assert len(stores.threads) == 1 and threading.current_thread().name not in stores.threads


def test_the_caller_works_while_a_store_runs() -> None:
    started, release = threading.Event(), threading.Event()

    def slow_store() -> str:
        started.set()
        assert release.wait(5)
        return "stored"

    with WriteBehind() as writer:
        writer.submit(slow_store)
        assert started.wait(5)  # the store runs while the caller goes on
        release.set()
        assert writer.drain() == "stored"


def test_a_failed_store_is_raised_at_the_next_submit_and_nothing_after_it_runs() -> None:
    stores = Stores(fail_at=2)
    submitted = []
    with pytest.raises(RuntimeError, match="store 2 failed"), WriteBehind() as writer:
        for number in range(6):
            writer.submit(stores, number)
            submitted.append(number)
    assert stores.done == [0, 1]
    assert submitted == [0, 1, 2]


def test_the_last_store_failing_is_raised_at_the_end() -> None:
    stores = Stores(fail_at=1)
    with pytest.raises(RuntimeError, match="store 1 failed"), WriteBehind() as writer:
        writer.submit(stores, 0)
        writer.submit(stores, 1)
    assert stores.done == [0]


def test_the_callers_error_waits_for_the_store_in_flight() -> None:
    stores = Stores()
    with pytest.raises(ConnectionError), WriteBehind() as writer:
        writer.submit(stores, 0)
        raise ConnectionError("the next page did not come")
    assert stores.done == [0]  # finished (and committed) before the error went on
    assert not [t for t in threading.enumerate() if t.name.startswith("sync-writer")]
