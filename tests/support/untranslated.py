"""Find English UI text left in a page shown in another language, using the catalogues."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from babel.messages.pofile import read_po

from lti_tool.web.translations import catalogue_path

PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)s|%%|<[^>]+>")
SPOKEN_ATTRIBUTE = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')
MIN_WORDS, MIN_CHARS = 2, 8  # shorter fragments ("Show", "done") may be names or data


def visible_text(page: str) -> str:
    """A page's text as a reader meets it: tags out, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    spoken = " ".join(SPOKEN_ATTRIBUTE.findall(body))  # what a screen reader says
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + spoken))


@lru_cache(maxsize=4)
def english_fragments(language: str) -> tuple[str, ...]:
    """Every English phrase of the catalogue that `language` translates differently: each
    msgid cut at its placeholders and tags, kept when it is long enough to be telling."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    found = set()
    for message in catalog:
        if not message.id or message.string == message.id:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)  # plurals
        for part in (p for form in forms for p in PLACEHOLDER_OR_TAG.split(form)):
            phrase = re.sub(r"\s+", " ", part).strip(" .,:;()+–…")
            if len(phrase.split()) >= MIN_WORDS and len(phrase) >= MIN_CHARS:
                found.add(phrase)
    return tuple(sorted(found))


def untranslated(page: str, language: str) -> list[str]:
    """The catalogue's English phrases that appear verbatim in `page`."""
    text = visible_text(page)
    return [phrase for phrase in english_fragments(language) if phrase in text]
