"""How each platform answers AGS and NRPS: paths, ids, paging, Link headers, media types.

A flavour belongs to a tool registration (the access token's client_id picks it):
`generic` follows the specs; `moodle` and `canvas` copy what those platforms' own source
writes, file by file, so a tool tested here meets the forms it will meet in a real course.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from .paging import DEFAULT_LIMIT, decode_cursor, encode_cursor, parse_limit
from .state import SandboxError

FLAVOURS = ("moodle", "canvas", "generic")
MOODLE_SERVICES = "/mod/lti/services.php"
# Moodle's gradebook services quote each rel with U+201C/U+201D (results.php and
# lineitems.php, get_json_for_get_request). PHP sends the header's UTF-8 bytes; Werkzeug
# writes header strings as ISO-8859-1, so the bytes are given as their ISO-8859-1 reading.
_MOODLE_OPEN = "\u201c".encode().decode("iso-8859-1")
_MOODLE_CLOSE = "\u201d".encode().decode("iso-8859-1")
# Canvas: lib/api.rb `per_page_for` (default 10, Setting `api_max_per_page` 100).
CANVAS_DEFAULT_PER_PAGE = 10
CANVAS_MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Window:
    """Which slice of a collection a request asks for; `limit` None means all of it."""

    offset: int
    limit: int | None

    def end(self, total: int) -> int:
        return total if self.limit is None else min(total, self.offset + self.limit)


class Generic:
    """The specs as written: `limit`, an opaque `page` cursor, `rel="next"`, differences."""

    name = "generic"
    paging_params = frozenset({"limit", "page"})
    nrps_paging_params = frozenset({"limit", "pageToken", "since"})
    memberships_type = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
    has_differences = True

    def lineitems_url(self, issuer: str, course_id: str, type_id: int) -> str:
        return f"{issuer}/api/courses/{course_id}/lineitems"

    def line_item_url(self, issuer: str, course_id: str, item_id: str, type_id: int) -> str:
        return f"{issuer}/api/courses/{course_id}/lineitems/{item_id}"

    def results_url(self, issuer: str, course_id: str, item_id: str, type_id: int) -> str:
        return f"{self.line_item_url(issuer, course_id, item_id, type_id)}/results"

    def memberships_url(self, issuer: str, course_id: str, type_id: int) -> str:
        return f"{issuer}/api/courses/{course_id}/memberships"

    def content_type(self, media_type: str) -> str:
        return media_type

    def window(self, args: Mapping[str, str], kind: str) -> Window:
        cursor = args.get("pageToken") if kind == "Mb" else args.get("page")
        return Window(decode_cursor(kind, cursor), parse_limit(args.get("limit")))

    def links(self, base: str, args: Mapping[str, str | None], window: Window, total: int,
              kind: str) -> str | None:
        """`<next>; rel="next"` while more follow (NRPS spells it `Next`)."""
        limit = window.limit or DEFAULT_LIMIT
        if window.offset + limit >= total:
            return None
        key, rel = ("pageToken", "Next") if kind == "Mb" else ("page", "next")
        query = {**_kept(args), "limit": limit, key: encode_cursor(kind, window.offset + limit)}
        return f'<{base}?{urlencode(query)}>; rel="{rel}"'

    def result_id(self, item_url: str, results_url: str, user_id: str, type_id: int) -> str:
        return f"{results_url}/{user_id}"


class Moodle(Generic):
    """Moodle 4.x, mod/lti/service/gradebookservices and mod/lti/service/memberships."""

    name = "moodle"
    paging_params = frozenset({"limit", "from"})
    nrps_paging_params = frozenset({"limit", "from"})
    has_differences = False  # memberships.php writes only a `next` link, never differences

    def lineitems_url(self, issuer: str, course_id: str, type_id: int) -> str:
        # lineitems.php parse_value: '$LineItems.url' = endpoint . "?type_id={$tool->id}"
        return f"{issuer}{MOODLE_SERVICES}/{course_id}/lineitems?type_id={type_id}"

    def line_item_url(self, issuer: str, course_id: str, item_id: str, type_id: int) -> str:
        # gradebookservices.php item_for_json: "{$endpoint}/{$item->id}/lineitem?type_id=.."
        return f"{issuer}{MOODLE_SERVICES}/{course_id}/lineitems/{item_id}/lineitem" \
               f"?type_id={type_id}"

    def results_url(self, issuer: str, course_id: str, item_id: str, type_id: int) -> str:
        # results.php template '/{context_id}/lineitems/{item_id}/lineitem/results'
        return f"{issuer}{MOODLE_SERVICES}/{course_id}/lineitems/{item_id}/lineitem/results"

    def memberships_url(self, issuer: str, course_id: str, type_id: int) -> str:
        # memberships contextmemberships.php template
        # '/{context_type}/{context_id}/bindings/{tool_code}/memberships'
        return f"{issuer}{MOODLE_SERVICES}/CourseSection/{course_id}/bindings/{type_id}/memberships"

    def content_type(self, media_type: str) -> str:
        # mod/lti/classes/local/ltiservice/response.php send(): "Content-Type: ..; charset=utf-8"
        return f"{media_type}; charset=utf-8"

    def window(self, args: Mapping[str, str], kind: str) -> Window:
        # optional_param('limit', 0, PARAM_INT), optional_param('from', 0, PARAM_INT):
        # no limit (or 0) means every record in one answer, with no Link header
        limit, offset = _int(args.get("limit")), _int(args.get("from"))
        return Window(max(offset, 0), limit if limit > 0 else None)

    def links(self, base: str, args: Mapping[str, str | None], window: Window, total: int,
              kind: str) -> str | None:
        if window.limit is None:
            return None
        if kind == "Mb":
            # memberships.php users_to_json: "{endpoint}?limit=N&from=M" (+ &rlid=), plain
            # quotes, only while more follow; the role filter is not carried over
            following = window.offset + window.limit
            if following >= total:
                return None
            rlid = f"&rlid={args['rlid']}" if args.get("rlid") else ""
            return f'<{base}?limit={window.limit}&from={following}{rlid}>; rel="next"'
        return self._gradebook_links(base, args, window, total)

    def _gradebook_links(self, base: str, args: Mapping[str, str | None], window: Window,
                         total: int) -> str:
        # results.php / lineitems.php get_json_for_get_request: first, prev, canonical,
        # next, last; moodle_url::out() escapes `&` as `&amp;`; rels in typographic quotes
        limit, current = window.limit or 0, window.offset
        out_of_range = current >= total or current < 0
        # lineitems.php: resource_id, resource_link_id, tag, then type_id and limit
        filters = ("resource_id", "resource_link_id", "tag", "type_id")
        query = {**{k: args[k] for k in filters if args.get(k)}, "limit": limit}

        def url(start: int) -> str:
            return f"{base}?{urlencode({**query, 'from': start})}".replace("&", "&amp;")

        parts = [(url(0), "first")]
        if current > 0 and not out_of_range:
            parts.append((url(max(current - limit, 0)), "prev"))
        parts.append((url(current), "canonical"))
        if current + limit <= total - 1 and not out_of_range:
            parts.append((url(current + limit), "next"))
        parts.append((url(max(total - limit + 1, 0)), "last"))
        return ", ".join(f"<{u}>; rel={_MOODLE_OPEN}{rel}{_MOODLE_CLOSE}" for u, rel in parts)

    def result_id(self, item_url: str, results_url: str, user_id: str, type_id: int) -> str:
        # gradebookservices.php result_for_json:
        # "{$endpoint}/results?type_id={$typeid}&user_id={$grade->userid}"
        return f"{results_url}?type_id={type_id}&user_id={user_id}"


class Canvas(Generic):
    """Canvas: app/controllers/lti/ims/*, paged by lib/api.rb `Api.paginate`."""

    name = "canvas"
    paging_params = frozenset({"limit", "page", "per_page"})
    nrps_paging_params = frozenset({"limit", "page", "per_page"})
    # names_and_roles_controller.rb MIME_TYPE: the lis.v2 type, not the lti-nrps one
    memberships_type = "application/vnd.ims.lis.v2.membershipcontainer+json"
    has_differences = False

    def lineitems_url(self, issuer: str, course_id: str, type_id: int) -> str:
        return f"{issuer}/api/lti/courses/{course_id}/line_items"

    def line_item_url(self, issuer: str, course_id: str, item_id: str, type_id: int) -> str:
        return f"{issuer}/api/lti/courses/{course_id}/line_items/{item_id}"

    def memberships_url(self, issuer: str, course_id: str, type_id: int) -> str:
        return f"{issuer}/api/lti/courses/{course_id}/names_and_roles"

    def content_type(self, media_type: str) -> str:
        return f"{media_type}; charset=utf-8"  # Rails' render(content_type:) adds the charset

    def window(self, args: Mapping[str, str], kind: str) -> Window:
        # concerns/gradebook_services.rb pagination_args: limit → per_page; lib/api.rb
        # per_page_for caps it; `page` is an opaque bookmark (BookmarkedCollection)
        raw = args.get("limit") or args.get("per_page")
        per_page = _int(raw) if raw else CANVAS_DEFAULT_PER_PAGE
        per_page = min(max(per_page, 1), CANVAS_MAX_PER_PAGE)
        return Window(_bookmark_offset(args.get("page")), per_page)

    def links(self, base: str, args: Mapping[str, str | None], window: Window, total: int,
              kind: str) -> str | None:
        # lib/api.rb build_links: query parameters except page/per_page, then
        # page=..&per_page=..; rel current, next, first; joined by a bare ","
        per_page = window.limit or CANVAS_DEFAULT_PER_PAGE
        kept = {k: v for k, v in _kept(args).items() if k not in {"page", "per_page", "limit"}}
        prefix = f"{base}?{urlencode(kept)}&" if kept else f"{base}?"
        pages = [("current", _bookmark(window.offset) if window.offset else "first")]
        if window.offset + per_page < total:
            pages.append(("next", _bookmark(window.offset + per_page)))
        pages.append(("first", "first"))
        return ",".join(f'<{prefix}page={page}&per_page={per_page}>; rel="{rel}"'
                        for rel, page in pages)

    def result_id(self, item_url: str, results_url: str, user_id: str, type_id: int) -> str:
        return f"{item_url}/results/{user_id}"  # results_serializer.rb "#{li_url}/results/#{id}"


def flavour_named(name: str) -> Generic:
    """The flavour called `name`."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise SandboxError(f"flavour must be one of {FLAVOURS}") from None


def _kept(args: Mapping[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in args.items() if v not in (None, "")}


def _int(raw: str | None) -> int:
    # PHP's PARAM_INT cleaning: a non-number is 0
    try:
        return int(raw or 0)
    except ValueError:
        return 0


def _bookmark(offset: int) -> str:
    """A Canvas-style opaque bookmark: `bookmark:` + base64 of a JSON array."""
    raw = base64.urlsafe_b64encode(json.dumps([offset]).encode()).decode().rstrip("=")
    return f"bookmark:{raw}"


def _bookmark_offset(page: str | None) -> int:
    if not page or page == "first":
        return 0
    if not page.startswith("bookmark:"):
        raise SandboxError(f"Invalid page {page!r}: Canvas pages are opaque bookmarks")
    raw = page.removeprefix("bookmark:")
    try:
        value = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):
        raise SandboxError(f"Invalid bookmark {page!r}") from None
    if not isinstance(value, list) or not value or not isinstance(value[0], int):
        raise SandboxError(f"Invalid bookmark {page!r}")
    return max(value[0], 0)


_BY_NAME: dict[str, Generic] = {"generic": Generic(), "moodle": Moodle(), "canvas": Canvas()}
