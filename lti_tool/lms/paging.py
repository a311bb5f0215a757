"""RFC 8288 `Link` headers: find a rel case-insensitively, keep its URL byte for byte."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urljoin

_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,"=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)')
_REL = re.compile(r'(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))', re.IGNORECASE)


class HasHeaders(Protocol):
    """What the parser needs from a response."""

    headers: Mapping[str, str]
    url: str


def parse_links(header: str) -> list[tuple[str, frozenset[str]]]:
    """Each (url, lower-cased rels) in a Link header, in order."""
    found = []
    for match in _LINK.finditer(header or ""):
        rels: set[str] = set()
        for rel in _REL.finditer(match.group(2)):
            rels.update((rel.group(1) or rel.group(2) or "").lower().split())
        found.append((match.group(1).strip(), frozenset(rels)))
    return found


def link(response: HasHeaders, rel: str) -> str | None:
    """The URL of the first link with relation `rel` (any case); relative URLs resolved."""
    wanted = rel.lower()
    for url, rels in parse_links(response.headers.get("Link") or ""):
        if wanted in rels:
            return url if "://" in url else urljoin(response.url or "", url)
    return None


def next_link(response: HasHeaders) -> str | None:
    """The URL of the next page (`rel="next"`, any case), exactly as the platform gave it."""
    return link(response, "next")
