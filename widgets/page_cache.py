"""Rendered widget pages kept for five minutes, per learner, launch facts and data version.

A learner who opens the course page again (every visit to a course page that embeds the
widget is a new LTI launch) usually gets the same readiness page as a few minutes ago: the same
evidence, the same catalogue, the same day. Rendering it is most of a launch's work, so the
page is kept in the shared cache with the versions it was computed at: the catalogue's, the
learner's own data's and that of learner data which may concern anyone
(`Services.person_versioned_get`: the three and the page in one round trip). It is served
only while all three still match. Every commit that writes the catalogue or learner data, in
any process, moves one of them on (store.catalogue, store.learner_data): a write of rows that
belong to known people (their evidence, ratings, memberships, ...) moves those people's
versions, any other (rules, items, settings, a sync's bulk inserts, an erasure) moves the
version of anyone's data. So a kept page never shows figures older than the last write that
could change them, and another learner's first launch does not drop it. What a page shows
besides the data is in its key: every fact of the launch session except those that are new
on each launch, the request's query (the role asked for, the notice after a form), the
tool's address its links are made from, and the day.

The two facts that are new on each launch, its id and the CSRF token made from it, are
rendered as a random stand-in id, and the stand-in and its token are replaced on the way
out. The stand-in is chosen when the page is rendered, after its data was read, so no
learner- or LMS-supplied text can contain it. Only pages whose rendering has no other
per-request effect may be kept (not one that hands out a one-use link, say).

The versions are read before the page's data, so a page rendered while a write commits is
kept under the older version and never served after the write is announced. A process that
failed to announce a change of its own (shared cache unreachable) renders afresh for a while
(`Services.shared_versions_trusted`). An erased person's pages are never served again (the
erasure is a write of learner data) and leave the cache within five minutes. Peer figures
on the page (how many people moved into the role, what they completed: social proof, which
moves with HRIS imports) are counted at most once a minute per process (usecases.role_peers);
a kept page can show them up to `PAGE_TTL` older than that. The learner's own figures are
always current.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from flask import current_app, g, request

from lti_tool.bootstrap import services
from lti_tool.usecases.launch import LaunchSession
from lti_tool.web.csrf import csrf_token
from lti_tool.web.launch_pages import READ_ALONG

from .frame import now

PAGE_TTL = 300
# facts of a launch session that differ on every launch; the page shows only the first
PER_LAUNCH = ("launch_id", "browser", "created_at", "seen_at")
# how a kept page is stored (`_entry`), part of its key: a process of an earlier release,
# which kept pages as JSON, never reads one of this format, nor this one one of its own
PAGE_FORMAT = 2


def kept_page(launch: LaunchSession, page: str,
              render: Callable[[LaunchSession], str]) -> bytes:
    """The HTML (UTF-8) of widget `page` for `launch`: `render(launch)`'s result, kept and
    reused while the learner data, the catalogue, the launch's facts, the request's query (its
    `notice`, the role asked for, ...), the tool's address and the day are the same."""
    svc = services(current_app)
    if not svc.keeps_pages or not svc.shared_versions_trusted():
        return render(launch).encode()
    key = request_page_key(launch, page)
    versions, kept = svc.person_versioned_get(launch.person_id, key, g.get(READ_ALONG))
    found = _kept(kept, versions)
    if found is not None:
        return _with_launch(*found, launch.launch_id)
    stand_in = "cp" + secrets.token_hex(16)
    html = render(replace(launch, launch_id=stand_in)).encode()
    svc.cache.set(key, _entry(versions, stand_in, html), PAGE_TTL)
    return _with_launch(html, stand_in, launch.launch_id)


def _entry(versions: tuple[int, ...], stand_in: str, html: bytes) -> bytes:
    """A kept page as the cache holds it: one JSON line (the versions it was computed at, its
    stand-in launch id), then the HTML as it is sent (no JSON to decode on each launch)."""
    head = json.dumps({"versions": list(versions), "stand_in": stand_in})
    return head.encode() + b"\n" + html


def _kept(kept: Any, versions: tuple[int, ...]) -> tuple[bytes, str] | None:
    """The HTML and stand-in of a kept page still current at `versions`, else None (also for
    anything that is not a kept page: an entry of another format is rendered afresh)."""
    if not isinstance(kept, bytes):
        return None
    head, newline, html = kept.partition(b"\n")
    try:
        facts = json.loads(head)
    except ValueError:
        return None
    if not newline or not isinstance(facts, dict) or facts.get("versions") != list(versions):
        return None
    stand_in = facts.get("stand_in")
    return (html, stand_in) if isinstance(stand_in, str) and stand_in else None


def page_key(launch: LaunchSession, page: str, arguments: dict[str, Any]) -> str:
    """The cache key of a page: the tenant and person, then a digest of every fact the page
    may show."""
    facts = {name: value for name, value in vars(launch).items() if name not in PER_LAUNCH}
    shown = json.dumps([PAGE_FORMAT, page, facts, arguments, now().date().isoformat()],
                       sort_keys=True, default=str)
    digest = hashlib.sha256(shown.encode()).hexdigest()[:32]
    return f"page:{launch.tenant_id}:{launch.person_id}:{digest}"


def page_reads(launch: LaunchSession, page: str) -> tuple[str, ...]:
    """The shared-cache keys `kept_page` reads for `page` of `launch` in this request: a
    launch reads them with its session's write (usecases.launch.ReadAlong) and leaves what
    it read in `flask.g` under `READ_ALONG`, so the page costs no round trip of its own."""
    svc = services(current_app)
    if not svc.keeps_pages or not svc.shared_versions_trusted():
        return ()
    return svc.person_version_keys(launch.person_id, request_page_key(launch, page))


def request_page_key(launch: LaunchSession, page: str) -> str:
    """`page_key` for this request, worked out once per request (the launch asks for it to
    read the page with its session, then the page itself)."""
    keys = g.setdefault("careerpath_page_keys", {})
    found = keys.get((launch.launch_id, page))
    if found is None:
        found = keys[(launch.launch_id, page)] = page_key(launch, page, request_facts())
    return found


def request_facts() -> dict[str, Any]:
    """What a page may show of the request: its query but the launch id, and the address
    its links are made from."""
    query = {name: request.args.getlist(name) for name in request.args if name != "launch"}
    return {"query": query, "root": request.host_url + request.script_root.lstrip("/")}


def _with_launch(html: bytes, stand_in: str, launch_id: str) -> bytes:
    """The kept page for this launch: its id and CSRF token in place of the stand-in's."""
    secret = services(current_app).settings.secret_key
    return (html.replace(csrf_token(secret, stand_in).encode(),
                         csrf_token(secret, launch_id).encode())
            .replace(stand_in.encode(), launch_id.encode()))
