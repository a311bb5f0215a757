"""RFC 8288 `Link` headers: find a rel case-insensitively, keep its URL byte for byte.

Besides RFC 8288, every form that real platforms write is followed:

- Moodle's gradebook services (mod/lti/service/gradebookservices/classes/local/resources/
  results.php and lineitems.php, `get_json_for_get_request`) build the header as
  ``'Link: <' . $nextpage->out() . '>; rel=“next”'``: the rel is quoted with typographic
  quotes U+201C/U+201D, sent as their UTF-8 bytes (mod/lti/classes/local/ltiservice/
  response.php `send()` passes the string to PHP's `header()`), which an HTTP client
  decodes as ISO-8859-1 (``â\\x80\\x9cnext â\\x80\\x9d``). A parser that wants ASCII quotes
  reads only the first page of every line item (issue 17: 1,200 of 2,780 results).
- The same code prints URLs with `moodle_url::out()`, whose `$escaped` defaults to true
  (lib/weblib.php): the query separators arrive as ``&amp;``
  (``...lineitem/results?type_id=2&amp;limit=100&amp;from=100``).
- Moodle's memberships service (mod/lti/service/memberships/classes/local/service/
  memberships.php `users_to_json`) writes ``Link: <...?limit=N&from=M>; rel="next"``.
- Canvas (lib/api.rb `Api.paginate` / `build_links`) joins its links with a bare comma:
  ``<...page=1&per_page=10>; rel="current",<...page=bookmark:WzE...>; rel="next"``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urljoin

_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,"=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,]*))?)*)')
_REL = re.compile(r'(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))', re.IGNORECASE)
# Typographic quotes, as Unicode and as UTF-8 bytes read as ISO-8859-1 (see above).
_CURLY_QUOTES = ("\u201c", "\u201d", "\u2018", "\u2019", "\u201e",
                 "\u00e2\u0080\u009c", "\u00e2\u0080\u009d", "\u00e2\u0080\u0098",
                 "\u00e2\u0080\u0099", "\u00e2\u0080\u009e")
_QUOTES = re.compile("|".join(sorted(_CURLY_QUOTES, key=len, reverse=True)))


class HasHeaders(Protocol):
    """What the parser needs from a response."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def url(self) -> str: ...


def parse_links(header: str) -> list[tuple[str, frozenset[str]]]:
    """Each (url, lower-cased rels) in a Link header, in order."""
    found = []
    for match in _LINK.finditer(_QUOTES.sub('"', header or "")):
        rels: set[str] = set()
        for rel in _REL.finditer(match.group(2)):
            rels.update((rel.group(1) or rel.group(2) or "").lower().split())
        found.append((_unescape_moodle(match.group(1).strip()), frozenset(rels)))
    return found


def _unescape_moodle(url: str) -> str:
    """`&amp;` → `&` (Moodle's escaped `moodle_url::out()`); nothing else is touched."""
    return url.replace("&amp;", "&")


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
