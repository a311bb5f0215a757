"""The use cases' refusals that pages show, in the page's language (lti_tool/web/error_messages)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from flask import Flask

from lti_tool.domain.errors import InvalidInput
from lti_tool.lti.platform_urls import check_platform_url
from lti_tool.web.error_messages import TEMPLATES, translated, translated_fields
from lti_tool.web.translations import catalogue_path, use_locale

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _refusal() -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_platform_url("keyset_url", "ftp://lms.example/jwks")
    return caught.value


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "keyset_url must be an absolute http(s) URL, got 'ftp://lms.example/jwks'"),
    ("de", "keyset_url muss eine absolute http(s)-URL sein, erhalten: 'ftp://lms.example/jwks'"),
    ("es", "keyset_url debe ser una URL http(s) absoluta; se recibió 'ftp://lms.example/jwks'")])
def test_a_use_case_refusal_in_each_language(language: str, expected: str) -> None:
    error = _refusal()
    with Flask(__name__).app_context():
        use_locale(language)
        assert translated(error.message) == expected
        assert translated_fields(error.errors) == {"keyset_url": [translated(
            "not an absolute URL")]}


def test_english_is_left_as_the_use_case_wrote_it_and_unlisted_messages_too() -> None:
    with Flask(__name__).app_context():
        use_locale("de")
        assert translated("something no page shows") == "something no page shows"
        assert translated("a role named 'Ana' already exists") == (
            "eine Rolle namens 'Ana' existiert bereits")
        use_locale("en")
        for template in TEMPLATES:
            sample = PLACEHOLDER.sub("X", template)
            assert translated(sample) == sample


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_listed_message_is_translated_with_its_placeholders(language: str) -> None:
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    for template in TEMPLATES:
        entry = catalog.get(template)
        assert entry is not None and entry.string, (language, template)
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(
            PLACEHOLDER.findall(template)), (language, template)
