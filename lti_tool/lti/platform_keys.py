"""Platform public keys (JWKS): fetched, cached, refetched at most once a minute on a new kid.

Two tiers: the shared cache holds each platform's key set for an hour (every worker and
host reuses one fetch), and each process keeps the set it last read from there for
`LOCAL_TTL` seconds, so a launch normally costs no shared-cache round trip. A kid the
local copy lacks sends the lookup to the shared cache first (another worker may have
refetched), then to the platform (rate-limited). Entries are named by registration *and*
keyset URL: a registration whose keyset URL changed, or a new registration that reuses a
removed one's id, never sees the old platform's keys.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
from collections.abc import Callable
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWKError

from ..cache import Cache, MemoryCache
from ..domain.errors import CareerPathError
from .errors import LaunchError

JWKS_TTL = 3600
LOCAL_TTL = 10
REFETCH_INTERVAL = 60
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")
MAX_PARSED_KEYS = 256

FetchJson = Callable[[str], Any]
log = logging.getLogger(__name__)


class PlatformKeys:
    """The keys of each registered platform, shared through the cache by every worker."""

    def __init__(self, cache: Cache, fetch_json: FetchJson,
                 local: MemoryCache | None = None) -> None:
        self._cache = cache
        self._fetch_json = fetch_json
        self._local = MemoryCache() if local is None else local
        # parsed keys by (registration, kid, alg), each with the JWK entry it was parsed
        # from: reused only while the key set read still holds that very entry
        self._parsed: dict[tuple[int, str, str], tuple[dict[str, Any], PyJWK]] = {}
        self._lock = threading.Lock()

    def key_for(self, registration_id: int, keyset_url: str, kid: str, alg: str) -> PyJWK:
        """The public key named `kid`; refetch once (rate-limited) before giving up."""
        name = jwks_key(registration_id, keyset_url)
        local = self._local.get(name)
        key = None if local is None else self._find(registration_id, local, kid, alg)
        if key is None:
            key = self._find(registration_id, self._shared(name, keyset_url), kid, alg)
        if key is None and self._cache.add(f"jwks-refetch:{registration_id}", 1,
                                           REFETCH_INTERVAL):
            key = self._find(registration_id, self._refresh(name, keyset_url), kid, alg)
        if key is None:
            raise LaunchError(
                "The launch was signed with a key (kid) the platform does not publish.",
                "Check the keyset URL registered for this platform; if the platform just "
                "rotated its keys, relaunch in a minute.",
                status=401,
            )
        return key

    def _shared(self, name: str, keyset_url: str) -> dict[str, Any]:
        """The shared cache's key set (fetched when it has none), kept here for a while."""
        jwks = self._cache.get(name)
        if jwks is None:
            return self._refresh(name, keyset_url)
        self._local.set(name, jwks, LOCAL_TTL)
        return jwks

    def _refresh(self, name: str, keyset_url: str) -> dict[str, Any]:
        try:
            jwks = self._fetch_json(keyset_url)
        except Exception as exc:  # noqa: BLE001 - any fetch failure is the same refusal
            log.warning("the key set at %s could not be read: %s", keyset_url.split("?")[0],
                        exc if isinstance(exc, CareerPathError) else type(exc).__name__)
            jwks = None
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            raise LaunchError("The platform's public keys could not be read.",
                              f"Check that the keyset URL {keyset_url} is reachable and "
                              "returns a JSON Web Key Set.", status=502)
        self._cache.set(name, jwks, JWKS_TTL)
        self._local.set(name, jwks, LOCAL_TTL)
        return jwks

    def _find(self, registration_id: int, jwks: dict[str, Any], kid: str,
              alg: str) -> PyJWK | None:
        """The key `kid` of `jwks`, parsed once per process while its JWK is unchanged."""
        entry = _entry(jwks, kid, alg)
        if entry is None:
            return None
        memo = (registration_id, kid, alg)
        with self._lock:
            parsed = self._parsed.get(memo)
        if parsed is not None and parsed[0] == entry:
            return parsed[1]
        key = _parse(entry, alg)
        if key is not None:
            with self._lock:
                if len(self._parsed) >= MAX_PARSED_KEYS:
                    self._parsed.clear()
                self._parsed[memo] = (copy.deepcopy(entry), key)
        return key


def jwks_key(registration_id: int, keyset_url: str) -> str:
    """The cache entry of a registration's key set, as published at `keyset_url`."""
    return f"jwks:{registration_id}:{keyset_url}"


def _entry(jwks: dict[str, Any], kid: str, alg: str) -> dict[str, Any] | None:
    """The first RSA JWK named `kid` usable with `alg`."""
    for entry in jwks.get("keys", []):
        if not isinstance(entry, dict) or entry.get("kid") != kid:
            continue
        if entry.get("kty") != "RSA" or entry.get("alg", alg) != alg:
            continue
        return entry
    return None


def _parse(entry: dict[str, Any], alg: str) -> PyJWK | None:
    try:
        return PyJWK.from_json(json.dumps({**entry, "alg": alg}))
    except PyJWKError:
        return None
