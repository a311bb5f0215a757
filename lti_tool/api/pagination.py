"""`Link` (rel next/prev/first/last) and `X-Total-Count` headers for list endpoints."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import request

from ..usecases.catalogue import Page


def window(args: Mapping[str, int]) -> tuple[int, int]:
    """(offset, limit) for `?page=&per_page=`."""
    return (args["page"] - 1) * args["per_page"], args["per_page"]


def paged(page: Page[Any], args: Mapping[str, int], items: list[Any]) -> tuple[
        list[Any], dict[str, str]]:
    """The items with their paging headers, as a view returns them."""
    per_page, number = args["per_page"], args["page"]
    last = max(1, math.ceil(page.total / per_page))
    links = {"first": 1, "last": last}
    if number < last:
        links["next"] = number + 1
    if 1 < number <= last + 1:
        links["prev"] = number - 1
    header = ", ".join(f'<{_url(n, per_page)}>; rel="{rel}"' for rel, n in links.items())
    return items, {"X-Total-Count": str(page.total), "Link": header}


def _url(number: int, per_page: int) -> str:
    query = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    query.update(page=str(number), per_page=str(per_page))
    return f"{request.base_url}?{urlencode(query)}"
