"""Numbers, percentages and dates in the LMS user's locale (a small table, English default)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

NBSP = "\u00a0"
DECIMAL_COMMA = frozenset({"fr", "de", "es", "it", "pt", "nl", "ru", "pl", "sv", "da", "nb",
                           "nn", "no", "fi", "cs", "tr", "id", "ro", "hu", "uk", "el"})
SPACE_BEFORE_PERCENT = frozenset({"fr", "de", "sv", "da", "nb", "nn", "no", "fi", "cs", "ru",
                                  "pl", "uk", "el", "es", "ro", "hu"})
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"),
}
# how a long date reads: "{d} {month} {y}" unless the language says otherwise
DATE_PATTERNS = {"de": "{d}. {month} {y}", "es": "{d} de {month} de {y}"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class LocaleFormat:
    """Formats for one BCP 47 language tag, e.g. `fr-CA` or `en_GB`."""

    tag: str

    @classmethod
    def for_locale(cls, locale: str | None) -> LocaleFormat:
        """A safe language tag from the LMS's locale claim; `en` when it is missing or odd."""
        tag = (locale or "").strip().replace("_", "-")
        return cls(tag if LANGUAGE_TAG.match(tag) else "en")

    @cached_property
    def language(self) -> str:
        return self.tag.split("-", 1)[0].lower()

    def number(self, value: float, decimals: int = 0) -> str:
        """`value` rounded half up, with the locale's decimal separator (1.5 → "1,5" in French)."""
        text = _rounded(repr(float(value)), decimals)
        return text.replace(".", ",") if self.language in DECIMAL_COMMA else text

    def level(self, value: float | None) -> str:
        """A proficiency level: whole levels plain, fractions with one decimal."""
        return "–" if value is None else self.number(value, 1)

    def percent(self, fraction: float, decimals: int = 0) -> str:
        """A 0–1 fraction as a percentage: "72%" in English, "72 %" in French."""
        number = self.number(fraction * 100, decimals)
        return f"{number}{NBSP}%" if self.language in SPACE_BEFORE_PERCENT else f"{number}%"

    def date(self, day: date) -> str:
        """A long date: "5 March 2026" (en-GB style), "5 mars 2026", "5. März 2026",
        "5 de marzo de 2026"; ISO for other languages."""
        months = MONTHS.get(self.language)
        if months is None:
            return day.isoformat()
        if self.tag.lower() == "en-us":
            return f"{months[day.month - 1]} {day.day}, {day.year}"
        pattern = DATE_PATTERNS.get(self.language, "{d} {month} {y}")
        return pattern.format(d=day.day, month=months[day.month - 1], y=day.year)


@lru_cache(maxsize=4096)
def _rounded(value: str, decimals: int) -> str:
    """`value`, a float's repr, rounded half up to `decimals` places, trailing zeros dropped.

    Remembered: a page shows the same few scores several times. The key is the repr, not
    the float, so that -0.0 and 0.0 (equal as floats) keep their own text."""
    step = Decimal(1).scaleb(-decimals)
    text = str(Decimal(value).quantize(step, rounding=ROUND_HALF_UP))
    if decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
