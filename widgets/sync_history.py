"""A sync run's counters as sentences with numbers formatted for the locale:
"118 evidence rows from 65 results", not a dump of counter names."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .locale_format import DECIMAL_COMMA, LocaleFormat

Phrase = tuple[tuple[str, ...], str, str]

# (counters summed, singular, plural) in the order a reader wants them; {n} is the number
PHRASES: tuple[Phrase, ...] = (
    (("members",), "{n} member read from the roster", "{n} members read from the roster"),
    (("people_created",), "{n} new person", "{n} new people"),
    (("line_items",), "{n} line item", "{n} line items"),
    (("results_unchanged",), "{n} result unchanged", "{n} results unchanged"),
    (("results_unknown_user",), "{n} result of someone not on the roster",
     "{n} results of people not on the roster"),
    (("scores_posted",), "{n} readiness score sent to the gradebook",
     "{n} readiness scores sent to the gradebook"),
    (("badges_issued",), "{n} badge issued", "{n} badges issued"),
    (("badge_errors",), "{n} badge could not be issued", "{n} badges could not be issued"),
    (("requests",), "{n} request to the LMS", "{n} requests to the LMS"),
)
# counters folded into other sentences, or not worth a sentence of their own
FOLDED = {"evidence_created", "evidence_updated", "results", "people_updated",
          "memberships_created", "memberships_updated"}


def sync_sentences(counts: Mapping[str, int], fmt: LocaleFormat,
                   plural: Callable[[int], bool] = lambda n: n != 1) -> list[str]:
    """The run's counters as short sentences; counters it does not know keep their name."""
    def num(n: int) -> str:
        return grouped(n, fmt)

    out = []
    evidence = counts.get("evidence_created", 0) + counts.get("evidence_updated", 0)
    results = counts.get("results", 0)
    if evidence or results:
        rows = "evidence rows" if plural(evidence) else "evidence row"
        found = "results" if plural(results) else "result"
        text = f"{num(evidence)} {rows} from {num(results)} {found}"
        if counts.get("evidence_updated"):
            text += f" ({num(counts['evidence_updated'])} updated)"
        out.append(text)
    for keys, one, many in PHRASES:
        n = sum(counts.get(k, 0) for k in keys)
        if n:
            out.append((many if plural(n) else one).format(n=num(n)))
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
