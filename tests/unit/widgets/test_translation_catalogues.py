"""The German and Spanish catalogues are complete and match the text the source marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from lti_tool.web.translations import LANGUAGES, catalogue_path, language_of, translations_for

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
TAG = re.compile(r"</?\w+>")


def source_msgids() -> set[str]:
    """What `make translations` would extract now (babel.cfg, keyword N_ as well)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {msgid for _f, _l, msgid, _c, _ctx in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords) if isinstance(msgid, str)}


def catalogue(language: str):  # noqa: ANN201
    with catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


def test_the_template_holds_exactly_the_marked_text() -> None:
    with (ROOT / "lti_tool" / "translations" / "messages.pot").open("rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert source_msgids() == template, "run `make translations` and translate the new text"


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_every_message_has_a_translation_with_the_same_placeholders(language: str) -> None:
    with (ROOT / "lti_tool" / "translations" / "messages.pot").open("rb") as pot:
        wanted = {m.id for m in read_po(pot) if m.id}
    messages = {m.id: m for m in catalogue(language) if m.id}
    assert set(messages) == wanted
    for msgid, message in messages.items():
        assert message.string.strip(), f"{language}: no translation of {msgid!r}"
        assert not message.fuzzy, f"{language}: fuzzy translation of {msgid!r}"
        assert sorted(PLACEHOLDER.findall(message.string)) == sorted(PLACEHOLDER.findall(msgid))
        assert sorted(TAG.findall(message.string)) == sorted(TAG.findall(msgid)), msgid


def test_the_catalogues_load_and_anything_else_is_english() -> None:
    assert translations_for("de").gettext("My badges") == "Meine Abzeichen"
    assert translations_for("es").gettext("My badges") == "Mis insignias"
    assert translations_for("fr").gettext("My badges") == "My badges"
    assert [language_of(tag) for tag in ("de-CH", "es_419", "EN-gb", "fr", None, "x<")] == [
        "de", "es", "en", "en", "en", "en"]
