"""The platform's signing keys (published at /jwks) and the tools' key sets it verifies with."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .settings import JwksFetcher
from .state import SandboxError

JWKS_TIMEOUT = 5.0
REFETCH_INTERVAL = 1.0


@dataclass
class SigningKey:
    """One RSA key pair with its key id."""

    kid: str
    private_key: rsa.RSAPrivateKey

    def public_jwk(self) -> dict[str, Any]:
        """The public JWK, with kid, alg RS256 and use sig."""
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.pop("key_ops", None)
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _kid_of(key: rsa.RSAPrivateKey) -> str:
    """A stable kid: a truncated SHA-256 of the public key's DER."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()[:12]).decode().rstrip("=")


def _load_or_create(path: Path) -> rsa.RSAPrivateKey:
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise ValueError(f"{path} does not hold an RSA private key")
        return loaded
    key = _new_key()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


class PlatformKeys:
    """The platform's key ring: one active signing key, older keys still published."""

    def __init__(self, key_path: str | None = None) -> None:
        self._lock = threading.Lock()
        key = _load_or_create(Path(key_path)) if key_path else _new_key()
        self.keys: list[SigningKey] = [SigningKey(_kid_of(key), key)]
        self.active = self.keys[0]

    def jwks(self) -> dict[str, Any]:
        """The public key set."""
        with self._lock:
            return {"keys": [key.public_jwk() for key in self.keys]}

    def rotate(self, activate: bool = True, retire_old: bool = False) -> SigningKey:
        """Add a new key; make it the signing key unless `activate` is false."""
        key = _new_key()
        added = SigningKey(_kid_of(key), key)
        with self._lock:
            self.keys = [added] if retire_old else [*self.keys, added]
            if activate or retire_old:
                self.active = added
        return added

    def sign(
        self, claims: dict[str, Any], kid: str | None = None, headers: dict | None = None
    ) -> str:
        """Sign claims RS256 with the active key; `kid` None omits the header."""
        extra = dict(headers or {})
        if kid is not None:
            extra["kid"] = kid
        token = jwt.encode(claims, self.active.private_key, algorithm="RS256", headers=extra)
        return token


class ToolKeySet:
    """A tool's JWKS fetched over HTTP, cached, refetched (rate-limited) on an unknown kid."""

    def __init__(self, url: str, fetcher: JwksFetcher | None = None) -> None:
        self.url = url
        self._fetcher = fetcher or _http_fetch
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        self.fetches = 0

    def key_for(self, kid: str | None) -> Any:
        """The public key for `kid`, refetching once when the kid is unknown."""
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= REFETCH_INTERVAL:
                self._refresh()
            if kid is None and len(self._keys) == 1:
                return next(iter(self._keys.values()))
            if kid not in self._keys:
                raise SandboxError(f"No key {kid!r} in the tool's JWKS", 401, "invalid_client")
            return self._keys[kid]

    def _refresh(self) -> None:
        self.fetches += 1
        self._fetched_at = time.monotonic()
        try:
            document = self._fetcher(self.url)
        except (requests.RequestException, ValueError) as exc:
            raise SandboxError(
                f"Could not fetch the tool's JWKS: {exc}", 401, "invalid_client"
            ) from exc
        keys: dict[str, Any] = {}
        for jwk in document.get("keys", []):
            if jwk.get("kty") == "RSA":
                keys[jwk.get("kid")] = jwt.algorithms.RSAAlgorithm.from_jwk(jwk)
        self._keys = keys


def _http_fetch(url: str) -> dict[str, Any]:
    response = requests.get(
        url, timeout=JWKS_TIMEOUT, headers={"User-Agent": "CareerPathSandboxLMS/1"}
    )
    response.raise_for_status()
    return response.json()


class ToolKeySets:
    """One cached `ToolKeySet` per JWKS URL."""

    def __init__(self, fetcher: JwksFetcher | None = None) -> None:
        self._fetcher = fetcher
        self._sets: dict[str, ToolKeySet] = {}
        self._lock = threading.Lock()

    def for_url(self, url: str) -> ToolKeySet:
        """The key set at `url`."""
        with self._lock:
            if url not in self._sets:
                self._sets[url] = ToolKeySet(url, self._fetcher)
            return self._sets[url]

    def verify(self, token: str, jwks_url: str, audience: str, **options: Any) -> dict[str, Any]:
        """Verify an RS256 JWT signed by a tool key; raise a 401 SandboxError otherwise."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SandboxError(f"Malformed JWT: {exc}", 401, "invalid_client") from exc
        if header.get("alg") != "RS256":
            raise SandboxError("The JWT must be signed RS256", 401, "invalid_client")
        key = self.for_url(jwks_url).key_for(header.get("kid"))
        try:
            return jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=audience,
                options={"require": ["exp", "iat", "iss"]},
                leeway=5,
                **options,
            )
        except jwt.PyJWTError as exc:
            raise SandboxError(f"JWT rejected: {exc}", 401, "invalid_client") from exc
