"""Secrets at rest: the tool's private keys, webhook secrets and LMS connector tokens are
stored sealed (Fernet, keyed from CAREERPATH_SECRET_KEY) and unsealed only to be used."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .domain.errors import ConfigurationError

# The derivation's salt and info are part of every stored secret: changing them makes what
# is stored unreadable (the info names private keys because they were sealed first).
_SALT = b"careerpath-lti"
_INFO = b"tool private keys at rest"


def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT,
                   info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: bytes, secret_key: str) -> str:
    """`secret` encrypted and authenticated with a key derived from `secret_key`."""
    return _fernet(secret_key).encrypt(secret).decode()


def unseal(sealed: str, secret_key: str) -> bytes:
    """The secret `seal` sealed; ConfigurationError when `secret_key` is not the one used."""
    try:
        return _fernet(secret_key).decrypt(sealed.encode())
    except InvalidToken:
        raise ConfigurationError(
            "cannot unseal a stored secret (a private key, webhook secret or connector "
            "token): CAREERPATH_SECRET_KEY differs from the one it was sealed with"
        ) from None
