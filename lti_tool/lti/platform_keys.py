"""Platform public keys (JWKS): fetched, cached, refetched at most once a minute on a new kid."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from typing import Any

from jwt import PyJWK
from jwt.exceptions import PyJWKError

from ..cache import Cache
from .errors import LaunchError

JWKS_TTL = 3600
REFETCH_INTERVAL = 60
ALLOWED_ALGORITHMS = ("RS256", "RS384", "RS512")
MAX_PARSED_KEYS = 256

FetchJson = Callable[[str], Any]


class PlatformKeys:
    """The keys of each registered platform, shared through the cache by every worker."""

    def __init__(self, cache: Cache, fetch_json: FetchJson) -> None:
        self._cache = cache
        self._fetch_json = fetch_json
        # parsed keys by (registration, kid, alg), each with the JWK entry it was parsed
        # from: reused only while the shared cache still holds that very entry
        self._parsed: dict[tuple[int, str, str], tuple[dict[str, Any], PyJWK]] = {}
        self._lock = threading.Lock()

    def key_for(self, registration_id: int, keyset_url: str, kid: str, alg: str) -> PyJWK:
        """The public key named `kid`; refetch once (rate-limited) before giving up."""
        jwks = self._cache.get(f"jwks:{registration_id}")
        if jwks is None:
            jwks = self._refresh(registration_id, keyset_url)
        key = self._find(registration_id, jwks, kid, alg)
        if key is None and self._cache.add(f"jwks-refetch:{registration_id}", 1,
                                           REFETCH_INTERVAL):
            key = self._find(registration_id, self._refresh(registration_id, keyset_url), kid,
                             alg)
        if key is None:
            raise LaunchError(
                "The launch was signed with a key (kid) the platform does not publish.",
                "Check the keyset URL registered for this platform; if the platform just "
                "rotated its keys, relaunch in a minute.",
                status=401,
            )
        return key

    def _refresh(self, registration_id: int, keyset_url: str) -> dict[str, Any]:
        try:
            jwks = self._fetch_json(keyset_url)
        except Exception:  # noqa: BLE001 - any fetch failure is the same refusal
            jwks = None
        if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
            raise LaunchError("The platform's public keys could not be read.",
                              f"Check that the keyset URL {keyset_url} is reachable and "
                              "returns a JSON Web Key Set.", status=502)
        self._cache.set(f"jwks:{registration_id}", jwks, JWKS_TTL)
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
