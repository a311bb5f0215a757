"""Secrets at rest: seal and unseal (private keys, webhook secrets, connector tokens)."""

from __future__ import annotations

import pytest

from lti_tool.domain.errors import ConfigurationError
from lti_tool.sealing import seal, unseal

# Sealed by `encrypt_private_key` before it became `seal`: what is stored stays readable.
SEALED_BEFORE_THE_RENAME = (
    "gAAAAABrFh-6cf9KCQ6D3YA4NtfkTCDEBCC5W28wbMxcYzvzwCBlKUsohYjxHfVtVAXoOzJ-Ir0rGuXkQ0A3TB"
    "XhlVM0d7BGb7qZ7l0n6pZoPMWpNOJPIC4=")


def test_a_sealed_secret_unseals_with_the_same_key() -> None:
    sealed = seal(b"webhook-secret-1", "key-one")
    assert b"webhook-secret-1" not in sealed.encode()
    assert unseal(sealed, "key-one") == b"webhook-secret-1"


def test_another_key_cannot_unseal_and_says_which_setting_to_check() -> None:
    with pytest.raises(ConfigurationError, match="CAREERPATH_SECRET_KEY"):
        unseal(seal(b"token", "key-one"), "key-two")


def test_secrets_sealed_before_the_rename_still_unseal() -> None:
    assert unseal(SEALED_BEFORE_THE_RENAME, "stored-before-the-rename") == b"webhook-secret-1"
