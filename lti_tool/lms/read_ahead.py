"""Fetch the next page from the LMS while the current one is being stored.

A sync alternates two kinds of work: waiting for the LMS to send a page (the network and
the platform's own time), then writing that page to the database. `read_ahead` runs the
page iterator in one background thread, one page ahead of its consumer, so the two
overlap. Pages still arrive in their order, one at a time, and no more than one page is
held beyond the one being written. The consumer commits a page (and its cursor) before it
asks for the next, so a run that stops keeps the same resume point as without read-ahead;
a page fetched ahead and not yet stored is fetched again by the next run.

An error while fetching a page (the LMS refused, the network failed) is raised to the
consumer when it asks for that page, after every earlier page has been handed over.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(pages: Iterator[T]) -> Iterator[T]:
    """The items of `pages`, in order, each next one fetched while the caller works on
    the last. Only one thread ever advances `pages`, and never two steps at once."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lms-read-ahead") as fetcher:
        pending = fetcher.submit(next, pages, _END)
        while True:
            page = pending.result()  # re-raises the fetch's own error, in order
            if page is _END:
                return
            pending = fetcher.submit(next, pages, _END)
            yield page  # type: ignore[misc]
