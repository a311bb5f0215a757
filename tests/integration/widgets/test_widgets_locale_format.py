"""The LMS locale decides decimal separators, the percent sign's spacing and dates."""

from __future__ import annotations

from datetime import date

from widgets.locale_format import LocaleFormat


def test_english_is_the_default() -> None:
    fmt = LocaleFormat.for_locale(None)
    assert fmt.tag == "en" and fmt.percent(0.725) == "73%" and fmt.level(2.5) == "2.5"
    assert LocaleFormat.for_locale('"><script>').tag == "en"


def test_french_uses_comma_and_spaced_percent() -> None:
    fmt = LocaleFormat.for_locale("fr_CA")
    assert fmt.tag == "fr-CA"
    assert fmt.percent(0.72) == "72\u00a0%"
    assert fmt.percent(0.7251, 1) == "72,5\u00a0%"
    assert fmt.level(2.0) == "2" and fmt.level(None) == "–"
    assert fmt.date(date(2026, 3, 5)) == "5 mars 2026"


def test_dates_in_english_and_other_languages() -> None:
    assert LocaleFormat("en-US").date(date(2026, 3, 5)) == "March 5, 2026"
    assert LocaleFormat("en-GB").date(date(2026, 3, 5)) == "5 March 2026"
    assert LocaleFormat("ja").date(date(2026, 3, 5)) == "2026-03-05"
    assert LocaleFormat("de-AT").date(date(2026, 3, 5)) == "5. März 2026"
    assert LocaleFormat("es-419").date(date(2026, 12, 7)) == "7 de diciembre de 2026"


def test_numbers_round_half_up_the_same_on_every_call() -> None:
    # the rounded text is remembered per (float repr, decimals): a second call, another
    # locale or another number of decimals must not get some other value's text
    en, fr = LocaleFormat("en"), LocaleFormat("fr")
    for _ in range(2):
        assert en.number(2.675, 2) == "2.68" and fr.number(2.675, 2) == "2,68"
        assert en.number(2.675, 1) == "2.7" and en.number(2.675) == "3"
        assert en.number(0.125, 2) == "0.13" and en.number(2.5) == "3"
        assert en.number(-0.0) == "-0" and en.number(0.0) == "0"
        assert en.percent(0.7249999) == "72%" and en.percent(0.725) == "73%"
