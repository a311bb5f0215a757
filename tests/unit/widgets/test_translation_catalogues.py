"""The German and Spanish catalogues are complete and match the text the source marks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from lti_tool.lms.native import SOURCES, source_label
from lti_tool.web.translations import LANGUAGES, catalogue_path, language_of, translations_for
from widgets.mapping import SOURCE_WORDS
from widgets.sync_history import PHRASES

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%|\{\w+\}")
TAG = re.compile(r"</?\w+>")


def source_msgids() -> set[str | tuple[str, ...]]:
    """What `make translations` would extract now (babel.cfg, keyword N_ as well)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    return {msgid for _f, _l, msgid, _c, _ctx in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords)}


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
    found = catalogue(language)
    messages = {m.id: m for m in found if m.id}
    assert set(messages) == wanted
    for msgid, message in messages.items():
        assert not message.fuzzy, f"{language}: fuzzy translation of {msgid!r}"
        # a plural message has the language's number of forms (Spanish: one, millions, other);
        # the singular form is checked against the singular msgid, the others the plural
        sources = msgid if isinstance(msgid, tuple) else (msgid,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(forms) == (found.num_plurals if len(sources) > 1 else 1), msgid
        for n, form in enumerate(forms):
            source = sources[min(n, len(sources) - 1)]
            assert form.strip(), f"{language}: no translation of {source!r}"
            assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(source))
            assert sorted(TAG.findall(form)) == sorted(TAG.findall(source)), source


def test_every_sync_phrase_is_in_the_catalogue_as_a_plural() -> None:
    with (ROOT / "lti_tool" / "translations" / "messages.pot").open("rb") as pot:
        plurals = {m.id for m in read_po(pot) if isinstance(m.id, tuple)}
    assert {(one, many) for _keys, one, many in PHRASES} <= plurals


def test_the_catalogues_load_and_anything_else_is_english() -> None:
    assert translations_for("de").gettext("My badges") == "Meine Abzeichen"
    assert translations_for("es").gettext("My badges") == "Mis insignias"
    assert translations_for("fr").gettext("My badges") == "My badges"
    assert [language_of(tag) for tag in ("de-CH", "es_419", "EN-gb", "fr", None, "x<")] == [
        "de", "es", "en", "en", "en", "en"]


def test_the_mapping_page_marks_every_item_source_label() -> None:
    labels = {*SOURCES.values(), source_label("resource-1"), source_label("native:x:y:1")}
    assert labels == set(SOURCE_WORDS)


@pytest.mark.parametrize(("locale", "counts", "expected"), [
    ("de-DE", {"evidence_created": 1, "results": 1}, ["1 Nachweis aus 1 Ergebnis"]),
    ("de", {"evidence_created": 1117, "evidence_updated": 1, "results": 65, "line_items": 4},
     ["1.118 Nachweise aus 65 Ergebnissen (1 aktualisiert)", "4 Bewertungsspalten"]),
    ("es", {"badges_issued": 1_000_000, "requests": 2},
     ["1.000.000 de insignias emitidas", "2 solicitudes al LMS"]),
    ("es_419", {"badges_issued": 1}, ["1 insignia emitida"]),
])
def test_sync_sentences_take_the_languages_plural_forms(
        locale: str, counts: dict[str, int], expected: list[str]) -> None:
    from flask import Flask

    from lti_tool.web.translations import use_locale
    from widgets.locale_format import LocaleFormat
    from widgets.sync_history import sync_sentences

    with Flask(__name__).app_context():
        use_locale(locale)
        assert sync_sentences(counts, LocaleFormat.for_locale(locale)) == expected
