"""`Idempotency-Key` on POST: the same key and body within 24 h replays the stored response."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..cache import Cache
from ..domain.errors import Conflict
from ..usecases.erasure import remember_person_key
from .errors import IdempotencyKeyReused

HEADER = "Idempotency-Key"
TTL_SECONDS = 24 * 3600
MAX_KEY_LENGTH = 255
# the body a fingerprint reads when no limit is set for the request (the app sets 1 MB)
MAX_FINGERPRINT_BYTES = 1024 * 1024


def replay_or_claim(cache: Cache, limit_key: str) -> Response | None:
    """The stored response for a repeated key, or None after claiming the key for this call."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise IdempotencyKeyReused("Idempotency-Key is at most 255 characters",
                                   {HEADER: ["too long"]})
    slot = f"api:idem:{limit_key}:{hashlib.sha256(key.encode()).hexdigest()}"
    fingerprint = _fingerprint()
    for _ in range(2):
        stored = cache.get(slot)
        if stored is None and cache.add(slot, {"fingerprint": fingerprint, "state": "pending"},
                                        TTL_SECONDS):
            g.api_idempotency = (slot, fingerprint)
            return None
        if stored is not None:
            return _replay(stored, fingerprint)
    raise Conflict("a request with this Idempotency-Key is in progress; retry shortly")


def remember(cache: Cache, response: Response) -> Response:
    """Store the response of a claimed key; a 5xx (or a secret, `no-store`) frees the key."""
    claimed = g.pop("api_idempotency", None)
    if claimed is None:
        return response
    slot, fingerprint = claimed
    if response.status_code >= 500 or "no-store" in response.headers.get("Cache-Control", ""):
        cache.pop(slot)
        return response
    cache.set(slot, {"fingerprint": fingerprint, "state": "done",
                     "status": response.status_code, "body": response.get_data(as_text=True),
                     "headers": _kept_headers(response)}, TTL_SECONDS)
    caller = g.get("api_caller")
    for person_id in _people_named(response) if caller is not None else ():
        remember_person_key(cache, caller.tenant_id, person_id, slot, TTL_SECONDS)
    return response


def _people_named(response: Response) -> list[int]:
    """The people a stored reply is about (erasing one drops the reply)."""
    named = (request.view_args or {}).get("person_id")
    if isinstance(named, int):
        return [named]
    body = response.get_json(silent=True) if response.is_json else None
    if request.endpoint == "people.import_person" and isinstance(body, dict) and isinstance(
            body.get("id"), int):
        return [body["id"]]
    return []


def _replay(stored: dict[str, Any], fingerprint: str) -> Response:
    if stored.get("fingerprint") != fingerprint:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was used with a different request",
            {HEADER: ["already used with a different method, path or body"]})
    if stored.get("state") != "done":
        raise Conflict("a request with this Idempotency-Key is in progress; retry shortly")
    response = Response(stored["body"], status=stored["status"], headers=stored["headers"])
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1")):
        digest.update(part.encode() + b"\0")
    digest.update(_bounded_body())
    return digest.hexdigest()


def _bounded_body() -> bytes:
    """The body, read at most up to the request's limit (413 past it, never buffered whole):
    the app's MAX_CONTENT_LENGTH, a view's own (imports), else MAX_FINGERPRINT_BYTES."""
    if request.max_content_length is None:
        request.max_content_length = MAX_FINGERPRINT_BYTES
    limit = request.max_content_length
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge(f"the body is over the limit of {limit} bytes")
    return request.get_data(cache=True)


def _kept_headers(response: Response) -> dict[str, str]:
    wanted = ("Content-Type", "Location", "X-Total-Count", "Link")
    return {name: response.headers[name] for name in wanted if name in response.headers}
