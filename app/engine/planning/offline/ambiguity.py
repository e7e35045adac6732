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


def ambiguous_values(reading) -> list[AmbiguousValue]:
    """Value words that more than one dimension claims, with no cue near them to settle it."""
    by_span: dict[tuple[int, int], list] = {}
    for match in reading.value_matches:
        by_span.setdefault(match.span, []).append(match)
    found = []
    for span, matches in by_span.items():
        readings = tuple(dict.fromkeys((m.dimension, m.value) for m in matches))
        if len({d for d, _ in readings}) > 1 and _still_filtered(reading, span):
            found.append(AmbiguousValue(reading.text[span[0]:span[1]], span, readings))
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
    """The filter written at ``span`` becomes ``dimension = value``."""
    kept = []
    for vf in reading.value_filters:
        if span in vf.spans:
            kept.append(replace(vf, dimension=dimension, values=(value,), spans=(span,),
                                op="!=" if vf.op in ("!=", "not in") else "="))
        else:
            kept.append(vf)
    reading.value_filters = kept


def _label(dimension: str) -> str:
    return dimension.replace("_", " ")
