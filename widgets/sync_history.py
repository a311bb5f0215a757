"""A sync run's counters as sentences with numbers formatted for the locale:
"118 evidence rows from 65 results", not a dump of counter names."""

from __future__ import annotations

from collections.abc import Mapping

from lti_tool.web.translations import gettext, ngettext

from .locale_format import DECIMAL_COMMA, LocaleFormat

Phrase = tuple[tuple[str, ...], str, str]

# (counters summed, singular, plural) in the order a reader wants them; %(num)s is the
# number. Each pair is also written out in _catalogue() so that pybabel extracts it as a
# plural (a unit test checks that the two lists agree).
PHRASES: tuple[Phrase, ...] = (
    (("members",), "%(num)s member read from the roster", "%(num)s members read from the roster"),
    (("people_created",), "%(num)s new person", "%(num)s new people"),
    (("line_items",), "%(num)s line item", "%(num)s line items"),
    (("results_unchanged",), "%(num)s result unchanged", "%(num)s results unchanged"),
    (("results_unknown_user",), "%(num)s result of someone not on the roster",
     "%(num)s results of people not on the roster"),
    (("scores_posted",), "%(num)s readiness score sent to the gradebook",
     "%(num)s readiness scores sent to the gradebook"),
    (("badges_issued",), "%(num)s badge issued", "%(num)s badges issued"),
    (("badge_errors",), "%(num)s badge could not be issued", "%(num)s badges could not be issued"),
    (("requests",), "%(num)s request to the LMS", "%(num)s requests to the LMS"),
)
# counters folded into other sentences, or not worth a sentence of their own
FOLDED = {"evidence_created", "evidence_updated", "results", "people_updated",
          "memberships_created", "memberships_updated"}


def _catalogue() -> None:
    """Never called: the PHRASES as ngettext calls, for pybabel extract."""
    ngettext("%(num)s member read from the roster", "%(num)s members read from the roster", 0)
    ngettext("%(num)s new person", "%(num)s new people", 0)
    ngettext("%(num)s line item", "%(num)s line items", 0)
    ngettext("%(num)s result unchanged", "%(num)s results unchanged", 0)
    ngettext("%(num)s result of someone not on the roster",
             "%(num)s results of people not on the roster", 0)
    ngettext("%(num)s readiness score sent to the gradebook",
             "%(num)s readiness scores sent to the gradebook", 0)
    ngettext("%(num)s badge issued", "%(num)s badges issued", 0)
    ngettext("%(num)s badge could not be issued", "%(num)s badges could not be issued", 0)
    ngettext("%(num)s request to the LMS", "%(num)s requests to the LMS", 0)


def sync_sentences(counts: Mapping[str, int], fmt: LocaleFormat) -> list[str]:
    """The run's counters as short sentences in the page's language (plural forms from the
    catalogue); counters it does not know keep their name."""
    def num(n: int) -> str:
        return grouped(n, fmt)

    out = []
    evidence = counts.get("evidence_created", 0) + counts.get("evidence_updated", 0)
    results = counts.get("results", 0)
    if evidence or results:
        text = gettext(
            "%(rows)s from %(results)s",
            rows=ngettext("%(num)s evidence row", "%(num)s evidence rows", evidence,
                          num=num(evidence)),
            results=ngettext("%(num)s result", "%(num)s results", results, num=num(results)))
        if counts.get("evidence_updated"):
            text += " " + gettext("(%(num)s updated)", num=num(counts["evidence_updated"]))
        out.append(text)
    for keys, one, many in PHRASES:
        n = sum(counts.get(k, 0) for k in keys)
        if n:
            out.append(ngettext(one, many, n, num=num(n)))
    known = FOLDED | {k for keys, _one, _many in PHRASES for k in keys}
    for key in sorted(set(counts) - known):
        if counts[key]:
            out.append(f"{key.replace('_', ' ')}: {num(counts[key])}")
    return out


def grouped(n: int, fmt: LocaleFormat) -> str:
    """A count with the locale's thousands separator: 12,345 (en), 12.345 (de), 12 345 (fr)."""
    separator = "," if fmt.language not in DECIMAL_COMMA else (
        "\u202f" if fmt.language == "fr" else ".")
    return f"{abs(int(n)):,}".replace(",", separator) if n >= 0 else "-" + grouped(-n, fmt)
