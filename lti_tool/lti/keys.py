"""The tool's RSA signing keys: made, sealed at rest (`lti_tool.sealing`), published as JWKS,
rotated."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from ..sealing import seal

KEY_SIZE = 2048


@dataclass(frozen=True)
class SigningKey:
    """A decrypted private key with its key id, ready to sign."""

    kid: str
    private_pem: bytes

    def jwt_key(self) -> Any:
        return serialization.load_pem_private_key(self.private_pem, password=None)


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: the encrypted private part and the public JWK."""

    kid: str
    private_key_encrypted: str
    public_jwk: dict[str, Any]
    created_at: datetime


def generate_key(secret: str, now: datetime) -> NewKey:
    """An RSA 2048 key, its kid the RFC 7638 thumbprint, the private part encrypted."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public_jwk = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
    kid = thumbprint(public_jwk)
    public_jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    return NewKey(kid, seal(pem, secret), public_jwk, now)


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 JWK thumbprint of an RSA key (base64url SHA-256)."""
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]},
                           separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
