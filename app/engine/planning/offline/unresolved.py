"""Values a question names that the data does not have: "revenue for country ZZ" is not the global total.

A dimension word followed by a word nothing else explained ("country ZZ", "media source Foobar",
"campaign named 'Summer_Blast'") is an attempted filter. Dropping it would answer a different
question with confidence, so the planner asks instead, naming the closest values the data has.
A dimension the question groups by ("by country", "which country") is not a filter attempt.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from app.engine.nlp.text import tokens
from app.engine.planning.offline.casual import canonical_word
from app.engine.planning.offline.words import STOP_WORDS
from app.engine.planning.plan import ClarificationPlan

# Words between a dimension and its value: "campaign named X", "country = 'ZZ'", "source: Foo".
_NAMING = re.compile(
    r"""\s*(?:(?:named|called|labell?ed|titled|with\s+(?:the\s+)?name)\s+)?(?:=|:|is\s+)?\s*"""
)
_QUOTED = re.compile(r"""["'`]([^"'`]{1,80})["'`]""")
_BARE = re.compile(r"[\w][\w.\-]*")
MAX_LISTED = 8


@dataclass(frozen=True)
class UnresolvedValue:
    dimension: str
    written: str  # as the user wrote it
    span: tuple[int, int]
    suggestions: tuple[str, ...]  # the closest values the data has
    known: tuple[str, ...]  # a sample of the values the data has
    count: int  # how many values the data has


def find_unresolved_values(
    reading, values, grouped: set[str], vocabulary: frozenset[str]
) -> list[UnresolvedValue]:
    """Each "<dimension> <unknown word>" in the question whose dimension has a known list of values."""
    known_by_dimension = values.index.known if values is not None else {}
    found = []
    for match in reading.matches:
        dimension = match.reading("dimension")
        known = known_by_dimension.get(dimension) if dimension else None
        if not known or dimension in grouped or _plural(reading.folded[match.start:match.end]):
            continue  # "campaigns targeting Japan" describes a population, it names no value
        written = _written_after(reading, match.end, vocabulary)
        if written is not None:
            text, span = written
            found.append(
                UnresolvedValue(dimension, text, span, _closest(text, known), _sample(known), len(known))
            )
    return found


def clarify_unresolved(unresolved: list[UnresolvedValue]) -> ClarificationPlan:
    first = unresolved[0]
    label = first.dimension.replace("_", " ")
    message = f"There is no {label} “{first.written}” in the data."
    if first.suggestions:
        message += f" Did you mean {' or '.join(first.suggestions)}?"
    else:
        more = f" ({first.count} in all)" if first.count > len(first.known) else ""
        message += f" Values of {label} include {', '.join(first.known)}{more}."
    options = first.suggestions or first.known
    return ClarificationPlan(question=message, options=tuple(options), confidence=0.3,
                             rationale=f"offline: unknown value {first.written!r} for {first.dimension}")


def _written_after(reading, end: int, vocabulary: frozenset[str]) -> tuple[str, tuple[int, int]] | None:
    """The value written right after a dimension word, when no matcher explained it."""
    naming = _NAMING.match(reading.text, end)
    start = naming.end() if naming else end
    quoted = _QUOTED.match(reading.text, start)
    bare = _BARE.match(reading.text, start)
    candidate = quoted or bare
    if candidate is None or (start == end and not reading.text[end:end + 1].isspace() and quoted is None):
        return None
    span = candidate.span(1) if candidate is quoted else candidate.span()
    if _explained(reading, span):
        return None
    words = [t.text for t in tokens(reading.folded[span[0]:span[1]])]
    if quoted is None and all(_ordinary(w, vocabulary) for w in words):
        return None
    return reading.text[span[0]:span[1]], span


def _plural(written: str) -> bool:
    last = written.split()[-1] if written.split() else ""
    return last.endswith("s") and not last.endswith("ss")


def _explained(reading, span: tuple[int, int]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in reading.consumed)


def _ordinary(word: str, vocabulary: frozenset[str]) -> bool:
    """A function word, a number or a word the planner's phrases use: not a value attempt."""
    return (word in STOP_WORDS or canonical_word(word) in STOP_WORDS or word.isdigit()
            or word in vocabulary or word.rstrip("s") in vocabulary or len(word) < 2)


def _closest(written: str, known: set[str]) -> tuple[str, ...]:
    by_fold = {value.lower(): value for value in known}
    close = difflib.get_close_matches(written.lower(), list(by_fold), n=3, cutoff=0.7)
    return tuple(by_fold[c] for c in close)


def _sample(known: set[str]) -> tuple[str, ...]:
    return tuple(sorted(known, key=str.lower)[:MAX_LISTED])


def clarify_compared_across(pair, model) -> ClarificationPlan:
    """ "flights from JFK vs Newark", where JFK is an origin code and Newark an origin airport's name:
    both cannot filter one answer and no one attribute holds both, so ask for one way of naming them."""
    first, second = pair

    def label(f) -> str:
        spec = model.dimensions.get(f.dimension)
        return (getattr(spec, "label", None) or f.dimension.replace("_", " ")) if spec else f.dimension

    message = (f"“{first.values[0]}” is a {label(first)} and “{second.values[0]}” is a {label(second)}, "
               f"so one answer cannot show them side by side (no row is both). Ask for each one "
               f"separately, or name both as a {label(first)} (or both as a {label(second)}).")
    options = (f"by {label(first)}", f"by {label(second)}")
    return ClarificationPlan(question=message, options=options, confidence=0.3,
                             rationale=f"offline: compared values of two attributes ({first.dimension}, "
                                       f"{second.dimension})")
