"""Bitstring Status List: GZIP + base64url with the multibase 'u', 131,072 bits, MSB first."""

from __future__ import annotations

import base64
import gzip

import pytest
from badge_samples import T0

from lti_tool.badges import MINIMUM_ENTRIES, encode_status_list, status_list_credential
from lti_tool.badges.status_list import bit_is_set, decode_status_list


def test_an_empty_list_has_131072_zero_bits() -> None:
    encoded = encode_status_list([])
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 == MINIMUM_ENTRIES == 131_072
    assert not any(bits)


def test_index_zero_is_the_high_bit_of_the_first_byte() -> None:
    bits = decode_status_list(encode_status_list([0, 9, 131_071]))
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001
    assert [i for i in (0, 1, 8, 9, 10, 131_071) if bit_is_set(bits, i)] == [0, 9, 131_071]


def test_indexes_outside_the_list_and_short_lists_are_refused() -> None:
    with pytest.raises(ValueError):
        encode_status_list([MINIMUM_ENTRIES])
    with pytest.raises(ValueError):
        encode_status_list([], size=1024)


def test_encoding_is_deterministic() -> None:
    assert encode_status_list([5, 3]) == encode_status_list([3, 5])


def test_status_list_credential_shape() -> None:
    url = "https://tool.example/badges/status/acme"
    found = status_list_credential(url, "https://tool.example/badges/issuers/acme", [7], T0)
    assert found["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert found["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert found["id"] == url
    subject = found["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert bit_is_set(decode_status_list(subject["encodedList"]), 7)
