"""A lazy list over a paged endpoint: pages are fetched as iteration reaches them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from .transport import Transport

T = TypeVar("T")
LINK = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?', re.IGNORECASE)


def next_link(headers: Mapping[str, str]) -> str | None:
    """The URL of `Link: <...>; rel="next"` (rel matched case-insensitively, URL kept as is)."""
    for url, rel in LINK.findall(headers.get("Link", "")):
        if "next" in rel.lower().split():
            return str(url)
    return None


class PaginatedList(Generic[T]):  # noqa: UP046 - Python 3.11
    """Iterate every item of a listing, following `Link: rel="next"` lazily."""

    def __init__(self, transport: Transport, path: str, build: Callable[[dict[str, Any]], T],
                 params: Mapping[str, Any] | None = None, per_page: int = 100) -> None:
        self._transport = transport
        self._path = path
        self._build = build
        self._params = {**(params or {}), "per_page": per_page}
        self.total: int | None = None

    def __iter__(self) -> Iterator[T]:
        url: str | None = self._path
        params: Mapping[str, Any] | None = self._params
        while url is not None:
            reply = self._transport.request("GET", url, params=params)
            if "X-Total-Count" in reply.headers:
                self.total = int(reply.headers["X-Total-Count"])
            yield from (self._build(item) for item in reply.body)
            url, params = next_link(reply.headers), None

    def list(self) -> list[T]:
        """Every item, fetching every page."""
        return list(self)

    def first(self) -> T | None:
        """The first item, fetching one page."""
        return next(iter(self), None)
