"""The class view's sync history as sentences with formatted numbers."""

from __future__ import annotations

from widgets.locale_format import LocaleFormat
from widgets.sync_history import grouped, sync_sentences


def test_counters_read_as_sentences() -> None:
    counts = {"evidence_created": 100, "evidence_updated": 18, "results": 65, "members": 1,
              "people_created": 1, "line_items": 4, "requests": 12, "results_unchanged": 0,
              "pages": 2}
    assert sync_sentences(counts, LocaleFormat("en")) == [
        "118 evidence rows from 65 results (18 updated)", "1 member read from the roster",
        "1 new person", "4 line items", "12 requests to the LMS", "pages: 2"]


def test_numbers_are_grouped_for_the_locale() -> None:
    counts = {"evidence_created": 12345, "results": 1}
    assert sync_sentences(counts, LocaleFormat("en")) == ["12,345 evidence rows from 1 result"]
    assert sync_sentences(counts, LocaleFormat("de"))[0].startswith("12.345 ")
    assert grouped(1234567, LocaleFormat("fr")) == "1\u202f234\u202f567"
    assert sync_sentences({}, LocaleFormat("en")) == []
