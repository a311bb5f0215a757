"""The process's one deadline thread: expires what is due, in deadline order, skips what
ended first, wakes for an earlier deadline, and never runs a thread per call."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from lti_tool.outbound.deadlines import Deadlines
from lti_tool.outbound.transport import Budget


def test_a_deadline_expires_when_its_time_is_up() -> None:
    deadlines, fired = Deadlines(), threading.Event()
    started = time.monotonic()
    deadlines.add(0.05, fired.set)
    assert fired.wait(5)
    assert time.monotonic() - started >= 0.05


def test_a_call_that_ended_first_is_not_expired() -> None:
    deadlines, fired, later = Deadlines(), [], threading.Event()
    deadlines.add(0.02, lambda: fired.append("ended")).done = True
    deadlines.add(0.06, later.set)
    assert later.wait(5)
    assert fired == []
    assert deadlines.pending() == 0  # the ended one was dropped, not kept


def test_an_earlier_deadline_wakes_the_thread() -> None:
    deadlines, order, both = Deadlines(), [], threading.Event()
    deadlines.add(30, lambda: order.append("late"))  # the thread now sleeps 30 s
    deadlines.add(0.02, lambda: (order.append("early"), both.set()))
    assert both.wait(5)
    assert order == ["early"]


def test_deadlines_expire_in_their_order_and_one_failing_stops_none() -> None:
    deadlines, order, last = Deadlines(), [], threading.Event()

    def failing() -> None:
        order.append("failing")
        raise RuntimeError("a socket that would not shut")

    deadlines.add(0.06, lambda: (order.append("third"), last.set()))
    deadlines.add(0.02, lambda: order.append("first"))
    deadlines.add(0.04, failing)
    assert last.wait(5)
    assert order == ["first", "failing", "third"]


def test_calls_share_one_thread() -> None:
    deadlines = Deadlines()
    before = threading.active_count()
    for _ in range(50):
        deadlines.add(30, lambda: None).done = True
    assert threading.active_count() <= before + 1
    assert [t.name for t in threading.enumerate()].count("outbound-deadlines") >= 1


@pytest.fixture
def connected() -> Iterator[tuple[socket.socket, socket.socket]]:
    """Two connected sockets, closed afterwards."""
    left, right = socket.socketpair()
    with left, right:
        yield left, right


def test_a_budget_shuts_its_sockets_when_it_expires(
        connected: tuple[socket.socket, socket.socket]) -> None:
    left, _right = connected
    with Budget(0.05, Deadlines()) as budget:
        budget.watch(left)
        assert left.recv(1) == b""  # shut down by the deadline thread: reads end
        assert budget.expired


def test_a_budget_that_ends_in_time_leaves_its_sockets_alone(
        connected: tuple[socket.socket, socket.socket]) -> None:
    left, right = connected
    with Budget(0.05, Deadlines()) as budget:
        budget.watch(left)
    time.sleep(0.1)
    right.sendall(b"x")
    assert left.recv(1) == b"x" and not budget.expired


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_a_forked_child_starts_its_own_thread() -> None:
    from lti_tool.outbound.deadlines import DEADLINES

    DEADLINES.add(30, lambda: None).done = True  # the parent's thread is running
    pid = os.fork()
    if pid == 0:  # the child: no inherited thread or lock; a deadline still fires
        fired = threading.Event()
        DEADLINES.add(0.02, fired.set)
        os._exit(0 if fired.wait(5) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
