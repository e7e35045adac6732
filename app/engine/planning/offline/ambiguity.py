"""One word, two meanings: "video" is a channel and an ad format, with different totals.

When a value word names values of two dimensions and nothing near it says which ("video ads" is
the format, "the video channel" the channel), the planner asks -- unless the conversation already
used one of those dimensions, in which case it takes that one and the answer says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from app.engine.nlp.value_types import ValueFilter
from app.engine.nlp.values import COMPANY_WORDS
from app.engine.planning.plan import ClarificationPlan


@dataclass(frozen=True)
class AmbiguousValue:
    written: str
    span: tuple[int, int]
    readings: tuple[tuple[str, str], ...]  # (dimension, value) for each meaning
    partial: frozenset[tuple[str, str]] = frozenset()  # readings only a word of a longer name gave


def ambiguous_values(reading) -> list[AmbiguousValue]:
    """Value words that more than one dimension claims, with no cue near them to settle it."""
    by_span: dict[tuple[int, int], list] = {}
    for match in reading.value_matches:
        by_span.setdefault(match.span, []).append(match)
    found = []
    for span, matches in by_span.items():
        readings = tuple(dict.fromkeys((m.dimension, m.value) for m in matches))
        whole = {(m.dimension, m.value) for m in matches if m.source != "name"}
        if len({d for d, _ in readings}) > 1 and _still_filtered(reading, span):
            found.append(AmbiguousValue(reading.text[span[0]:span[1]], span, readings,
                                        frozenset(readings) - whole))
    return found


def settle_from_conversation(reading, ambiguous: list[AmbiguousValue], previous_plans) -> list[str] | None:
    """Readings the conversation settles (the dimension an earlier turn used), as notes for the
    answer; None when one word stays ambiguous."""
    used = _dimensions_used(previous_plans)
    notes = []
    for item in ambiguous:
        chosen = [(d, v) for d, v in item.readings if d in used]
        if len(chosen) != 1:
            return None
        dimension, value = chosen[0]
        _refilter(reading, item.span, dimension, value)
        others = " and ".join(_label(d) for d, _ in item.readings if d != dimension)
        notes.append(f"Read “{item.written}” as the {_label(dimension)} {value}, as earlier in this "
                     f"conversation (it is also a value of {others}).")
    return notes


_PARTNERS = r"\s*(?:,|vs\.?|versus|or|and|compared\s+(?:to|with)|against)\s*(?:the\s+)?"


def settle_by_partner(reading, ambiguous: list[AmbiguousValue]) -> list[AmbiguousValue]:
    """ "JFK vs LGA": LGA is an origin and a destination, JFK only an origin; compared values are
    of one kind, so LGA is the origin. Returns what stays ambiguous."""
    still = []
    for item in ambiguous:
        kinds = {d for d, _ in item.readings}
        partners = {vf.dimension for vf in reading.value_filters for span in vf.spans
                    if vf.dimension in kinds and span != item.span
                    and _joined_by_partner(reading.folded, span, item.span)
                    and not any(span == a.span for a in ambiguous)}
        if len(partners) == 1:
            dimension = partners.pop()
            value = next(v for d, v in item.readings if d == dimension)
            _refilter(reading, item.span, dimension, value)
        else:
            still.append(item)
    return still


def _joined_by_partner(folded: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    first, second = sorted((a, b))
    return re.fullmatch(_PARTNERS, folded[first[1]:second[0]]) is not None


def settle_by_reach(reading, ambiguous: list[AmbiguousValue], reachable) -> list[AmbiguousValue]:
    """Readings the metric cannot take are no readings: "Facebook spend" is the media source when
    the channel called Facebook only exists on installs; of readings it can take, a whole value
    beats a word of a longer name. Returns what stays ambiguous."""
    still = []
    for item in ambiguous:
        fitting = [(d, v) for d, v in item.readings if reachable(d)]
        if len(fitting) > 1 and len(whole := [r for r in fitting if r not in item.partial]) == 1:
            fitting = whole  # "search campaigns": the channel called search, not Apple Search Ads
        if len(fitting) == 1 and len(item.readings) > 1:
            _settle(reading, item, *fitting[0], "the other meaning cannot be applied to this metric")
        else:
            still.append(item)
    return still


def _settle(reading, item: AmbiguousValue, dimension: str, value, why: str) -> None:
    """Keep one reading of an ambiguous value, and say which and why in the answer."""
    _refilter(reading, item.span, dimension, value)
    reading.notes += (f"Read “{item.written}” as the {_label(dimension)} {value}: {why}.",)


def settle_by_whole_name(reading, ambiguous: list[AmbiguousValue], model) -> list[AmbiguousValue]:
    """ "Southwest" is a word of "Southwest Airlines Co." (an airline) and of "Southwest Florida Intl"
    (an airport): a name whose other words are only its dimension's own words ("airlines" of an
    airline) and a company's legal words is that name said whole; the other is a word of a longer
    name. One whole reading settles it. Returns what stays ambiguous."""
    still = []
    for item in ambiguous:
        written = set(_words(item.written))
        whole = [(d, v) for d, v in item.readings
                 if (d, v) in item.partial and d in model.dimensions
                 and set(_words(v)) - written <= _dimension_words(model, d) | _LEGAL]
        if len(whole) == 1 and len(item.partial) == len(item.readings):
            _settle(reading, item, *whole[0], "the name said whole (it is also a word of a longer name)")
        else:
            still.append(item)
    return still


_LEGAL = frozenset(w.removesuffix("s") for w in COMPANY_WORDS)


def _words(text: str) -> list[str]:
    return [w.removesuffix("s") for w in re.findall(r"[a-z]+", text.casefold())]


def _dimension_words(model, dimension: str) -> set[str]:
    spec = model.dimensions[dimension]
    return set(_words(" ".join((dimension.replace("_", " "), *spec.synonyms))))


def clarify_ambiguous(item: AmbiguousValue, text: str) -> ClarificationPlan:
    """The question asked back, with each option the user's own question made specific."""
    meanings = [f"the {_label(d)} {v}" for d, v in item.readings]
    question = (f"“{item.written}” is both {' and '.join(meanings)} in the data, and they give "
                f"different numbers. Which do you mean?")
    start, end = item.span
    options = tuple(f"{text[:start]}{item.written} {_label(d)}{text[end:]}" for d, _ in item.readings)
    return ClarificationPlan(question=question, options=options, confidence=0.4,
                             rationale=f"offline: {item.written!r} names values of several dimensions")


def _still_filtered(reading, span) -> bool:
    return any(span in vf.spans for vf in reading.value_filters)


def _dimensions_used(previous_plans) -> set[str]:
    used: set[str] = set()
    for plan in previous_plans:
        query = getattr(plan, "query", None)
        if query is not None:
            used |= set(query.dimensions) | {f.dimension for f in query.filters}
    return used


def _refilter(reading, span, dimension: str, value: str) -> None:
    """The word at ``span`` is ``dimension = value``: other dimensions' filters lose it, and it
    joins a filter of that dimension and polarity ("JFK vs LGA": one origin filter of two)."""
    negated = any(span in vf.spans and vf.op in ("!=", "not in") for vf in reading.value_filters)
    kept, placed = [], False
    for vf in reading.value_filters:
        if span not in vf.spans:
            kept.append(vf)
        elif vf.dimension == dimension:
            kept.append(vf)
            placed = True
        elif len(vf.spans) > 1:  # the other values of that filter stay
            pairs = [(v, sp) for v, sp in zip(vf.values, vf.spans, strict=False) if sp != span]
            one = len(pairs) == 1
            op = ("!=" if one else "not in") if vf.op in ("!=", "not in") else ("=" if one else "in")
            kept.append(replace(vf, values=tuple(v for v, _ in pairs), spans=tuple(sp for _, sp in pairs),
                                op=op))
    if not placed:
        same = next((k for k in kept
                     if k.dimension == dimension and (k.op in ("!=", "not in")) == negated), None)
        if same is None:
            kept.append(ValueFilter(dimension, "!=" if negated else "=", (value,), (span,)))
        elif value not in same.values:
            kept[kept.index(same)] = replace(same, values=same.values + (value,), spans=same.spans + (span,),
                                             op="not in" if negated else "in")
    reading.value_filters = kept


def _label(dimension: str) -> str:
    return dimension.replace("_", " ")
