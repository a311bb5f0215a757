"""Read-ahead: pages in order, at most one fetched ahead, in another thread, errors in place."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from lti_tool.lms.read_ahead import read_ahead


class Pages:
    """Numbered pages, noting how many were fetched and by which thread; may fail at one."""

    def __init__(self, count: int, fail_at: int | None = None) -> None:
        self.count, self.fail_at = count, fail_at
        self.fetched = 0
        self.threads: set[str] = set()

    def __iter__(self) -> Iterator[int]:
        for number in range(self.count):
            self.threads.add(threading.current_thread().name)
            if number == self.fail_at:
                raise ConnectionError(f"page {number} did not come")
            self.fetched += 1
            yield number


def test_every_page_arrives_in_order_fetched_by_another_thread() -> None:
    pages = Pages(6)
    assert list(read_ahead(iter(pages))) == [0, 1, 2, 3, 4, 5]
    assert threading.current_thread().name not in pages.threads
    assert all(name.startswith("lms-read-ahead") for name in pages.threads)


def test_never_more_than_one_page_ahead() -> None:
    pages = Pages(8)
    for number in read_ahead(iter(pages)):
        assert pages.fetched <= number + 2  # the page in hand and at most the next one


def test_a_failed_fetch_is_raised_after_the_pages_before_it() -> None:
    got: list[int] = []
    with pytest.raises(ConnectionError, match="page 3 did not come"):
        for number in read_ahead(iter(Pages(6, fail_at=3))):
            got.append(number)
    assert got == [0, 1, 2]


def test_stopping_early_stops_the_fetching() -> None:
    pages = Pages(100)
    reader = read_ahead(iter(pages))
    assert [next(reader), next(reader)] == [0, 1]
    reader.close()
    assert pages.fetched <= 3
    assert not [t for t in threading.enumerate() if t.name.startswith("lms-read-ahead")]


def test_no_pages() -> None:
    assert list(read_ahead(iter(Pages(0)))) == []
