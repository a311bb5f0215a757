"""W3C Bitstring Status List v1.0: the revocation list an issuer publishes.

The list is a bitstring of at least 131,072 entries; bit `i` is the `i`-th bit counted
from the most significant bit of the first byte. It is GZIP-compressed, base64url-encoded
without padding and given the multibase prefix `u`.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .credential import VC_CONTEXT, iso

MINIMUM_ENTRIES = 131_072
MULTIBASE_BASE64URL = "u"


def encode_status_list(revoked: Iterable[int], size: int = MINIMUM_ENTRIES) -> str:
    """The `encodedList` with the bits at `revoked` set."""
    if size < MINIMUM_ENTRIES or size % 8:
        raise ValueError(f"a status list holds a multiple of 8, at least {MINIMUM_ENTRIES}")
    bits = bytearray(size // 8)
    for index in revoked:
        if not 0 <= index < size:
            raise ValueError(f"status list index {index} is outside [0, {size})")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_status_list(encoded: str) -> bytes:
    """The raw bitstring of an `encodedList`."""
    if not encoded.startswith(MULTIBASE_BASE64URL):
        raise ValueError("an encodedList starts with the multibase prefix 'u'")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(bitstring: bytes, index: int) -> bool:
    """Whether entry `index` is set (most significant bit first)."""
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(list_url: str, issuer_id: str, revoked: Iterable[int],
                           now: datetime) -> dict[str, Any]:
    """The BitstringStatusListCredential for revocation, served at `list_url`."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(revoked),
        },
    }


def status_entry(list_url: str, index: int) -> dict[str, Any]:
    """The `credentialStatus` that binds a credential to entry `index` of the list."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
