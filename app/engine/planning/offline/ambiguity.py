"""One word, two meanings: "video" is a channel and an ad format, with different totals.

When a value word names values of two dimensions and nothing near it says which ("video ads" is
the format, "the video channel" the channel), the planner asks -- unless the conversation already
used one of those dimensions, in which case it takes that one and the answer says so.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

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
            _refilter(reading, item.span, *fitting[0])
            dimension, value = fitting[0]
            note = (f"Read “{item.written}” as the {_label(dimension)} {value}: the other meaning "
                    "cannot be applied to this metric.")
            reading.notes += (note,)
        else:
            still.append(item)
    return still


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
    """The filter written at ``span`` becomes ``dimension = value``, joining a filter of that
    dimension and polarity already there ("Facebook vs Google": one media-source filter of two)."""
    kept = []
    for vf in reading.value_filters:
        if span in vf.spans:
            negated = vf.op in ("!=", "not in")
            same = next((k for k in kept
                         if k.dimension == dimension and (k.op in ("!=", "not in")) == negated), None)
            if same is not None and value not in same.values:
                joined = replace(same, values=same.values + (value,), spans=same.spans + (span,),
                                 op="not in" if negated else "in", compared=same.compared or vf.compared)
                kept[kept.index(same)] = joined
            elif same is None:
                kept.append(replace(vf, dimension=dimension, values=(value,), spans=(span,),
                                    op="!=" if negated else "="))
        else:
            kept.append(vf)
    reading.value_filters = kept


def _label(dimension: str) -> str:
    return dimension.replace("_", " ")
