"""Resolve the time expressions of a question against ``as_of`` (see docs/time-expressions.md).

``resolve_time("revenue last month vs the month before, by week", as_of)``
gives the date range, a comparison range, the grain, and the character spans
it consumed so the planner can blank them out before matching other words.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from app.engine.nlp.text import overlaps
from app.engine.nlp.timeexpr_parts import WEEKDAYS
from app.engine.nlp.timeexpr_patterns import Context, Found
from app.engine.nlp.timeexpr_periods import (
    ONE_DAY,
    DateRange,
    add_months,
    default_grain,
    period_of,
    preceding,
    shift_years,
    trailing,
)
from app.engine.nlp.timeexpr_rules import RULES
from app.engine.nlp.timeexpr_typos import correct_text

__all__ = ["DateRange", "TimeResolution", "resolve_time"]
log = logging.getLogger(__name__)

_COMPARE_CUE = re.compile(
    r"\b(?:vs\.?|versus|compar\w*|against|relative\s+to|differen\w*|differ|change[sd]?|growth|grow|grew|"
    r"increase[sd]?|decrease[sd]?|drop(?:ped)?|delta|than|went|go)\b"
)
_COMPARATIVE = re.compile(r"\b(?:higher|lower|more|less|fewer|better|worse|bigger|smaller|greater|"
                          r"cheaper|pricier|which|whichever)\b")
_ALTERNATIVES = re.compile(r"^[\s,]*(?:or|vs\.?|versus)\s+(?:in\s+|during\s+|for\s+)?(?:the\s+)?$")
_CONNECTOR = re.compile(
    r"^[\s,;:]*(?:(?:vs\.?|versus|compared?\s+(?:to|with)|against|and|or|to|relative\s+to|"
    r"in\s+comparison\s+(?:to|with)|than)[\s,;:]*)*(?:the\s+)?$"
)
_LEADING_WORDS = re.compile(
    r"(?:\b(?:in|for|during|over|within|throughout|on|from|of|at|between)\s+)?(?:\bthe\s+)?"
    r"(?:\b(?:month|year|quarter|week|day)\s+of\s+)?$"
)


@dataclass(frozen=True)
class TimeResolution:
    """What a question says about time. ``range`` is None when it says nothing (all data)."""

    range: DateRange | None = None
    compare_range: DateRange | None = None
    grain: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    matched_text: str = ""
    all_time: bool = False  # "all time", "ever", "overall": explicitly no date filter
    # every period named, in question order, with its span: "installed in March ... in April" names
    # two (a cohort and an activity window) that ``range`` merges
    ranges: list[tuple[DateRange, tuple[int, int]]] = field(default_factory=list)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    found: Found


def resolve_time(text: str, as_of: dt.date) -> TimeResolution:
    """The time range, comparison range and grain ``text`` asks for; never raises."""
    try:
        return resolve_time_strict(text, as_of)
    except Exception:
        log.exception("time expression resolution failed; answering without a time filter")
        return TimeResolution()


def resolve_time_strict(text: str, as_of: dt.date) -> TimeResolution:
    """:func:`resolve_time` without the safety net (tests call it to see real errors)."""
    corrected = correct_text(text or "")
    ctx = Context(corrected.text, lambda s, e: text[slice(*corrected.original_span(s, e))], as_of)
    hits = _with_weekday_names(_weekdays_as_days(_select(_collect(ctx)), ctx), ctx)
    window, compare, joined = _ranges(hits, ctx)
    window, compare, joined = _before_that(window, compare, joined, hits, ctx)
    window = _cut_at_as_of(window, as_of)
    compare = _cut_at_as_of(compare or _compare_from_words(hits, window), as_of)
    spans = _original_spans(hits, joined, ctx, corrected.original_span)
    return TimeResolution(
        range=window, compare_range=compare, grain=_grain(hits, window), spans=spans,
        matched_text=" ".join(text[s:e] for s, e in spans),
        all_time=window is None and any(h.found.kind == "all_time" for h in hits),
        ranges=[(_cut_at_as_of(h.found.range, as_of), corrected.original_span(h.start, h.end))
                for h in hits if h.found.kind == "range"],
    )


def _collect(ctx: Context) -> list[tuple[int, int, int, Found]]:
    candidates = []
    for order, (pattern, build) in enumerate(RULES):
        for match in pattern.finditer(ctx.text):
            found = build(match, ctx) if match.end() > match.start() else None
            if found is not None:
                start, end = found.span or match.span()
                candidates.append((start, end, order, found))
    return candidates


def _select(candidates: list[tuple[int, int, int, Found]]) -> list[_Hit]:
    """Longest matches first, earlier rules on ties; no two chosen matches share a character."""
    taken: list[tuple[int, int]] = []
    hits = []
    for start, end, _, found in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if not overlaps((start, end), taken):
            taken.append((start, end))
            hits.append(_Hit(start, end, found))
    return sorted(hits, key=lambda h: h.start)


_BARE_WEEKDAY = re.compile(r"^(?:on\s+)?(?:" + "|".join(WEEKDAYS) + r")$")


def _weekdays_as_days(hits: list[_Hit], ctx: Context) -> list[_Hit]:
    """ "flights on Saturday in 2013": a bare weekday next to another range is the weekday of the
    days in that range (a value of a weekday attribute, or an unplaced word), not the latest
    Saturday; "last Saturday" stays a date."""
    bare = [h for h in hits if h.found.kind == "range" and _BARE_WEEKDAY.match(ctx.text[h.start:h.end])]
    if bare and any(h.found.kind == "range" and h not in bare for h in hits):
        return [h for h in hits if h not in bare]
    return hits


# "Mon May 4", "Sunday, June 28": the weekday written before a date is part of that date
_WEEKDAY_BEFORE = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
                             r"(?:day|sday|nesday|rsday|urday)?\.?,?\s+$")


def _with_weekday_names(hits: list[_Hit], ctx: Context) -> list[_Hit]:
    out = []
    for hit in hits:
        before = _WEEKDAY_BEFORE.search(ctx.text, 0, hit.start)
        day = hit.found.range if hit.found.kind == "range" else None
        if before is not None and day is not None and _starts_with_day(ctx.text[hit.start:hit.end]) \
                and not any(h.start <= before.start() < h.end for h in hits if h is not hit):
            hit = _Hit(before.start(), hit.end, hit.found)
        out.append(hit)
    return out


_DAY_TEXT = re.compile(r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
                       r"\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                       r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2})")


def _starts_with_day(text: str) -> bool:
    return bool(_DAY_TEXT.match(text))


# words that take back the period just said: "last week-ish, i mean the last 7 days", "May, sorry, June",
# "last week (the last 7 days)"
_CORRECTION = re.compile(r"[\s,;.-]*(?:ish\b)?[\s,;.-]*(?:(?:i\s+mean|actually|sorry|or\s+rather|rather|"
                         r"correction|scratch\s+that|make\s+(?:it|that))\b[\s,:-]*|\(\s*)(?:the\s+|in\s+)?",
                         re.IGNORECASE)


def _restated(ranged: list[_Hit], ctx: Context) -> _Hit | None:
    """ "in May and June (May 4 - June 28)": a range in parentheses inside the others' span restates
    them precisely."""
    for hit in ranged:
        opened = ctx.text.rfind("(", 0, hit.start)
        closed = ctx.text[hit.end:].lstrip().startswith(")")
        if opened < 0 or ctx.text[opened + 1:hit.start].strip() or not closed:
            continue
        others = [h for h in ranged if h is not hit]
        low, high = min(h.found.range.start for h in others), max(h.found.range.end for h in others)
        if low <= hit.found.range.start and hit.found.range.end <= high:
            return hit
    return None


def _ranges(
    hits: list[_Hit], ctx: Context
) -> tuple[DateRange | None, DateRange | None, list[tuple[int, int]]]:
    """The range, the compared range ("June vs May"), and the connecting words consumed."""
    ranged = [h for h in hits if h.found.kind == "range"]
    if not ranged:
        return None, None, []
    if len(ranged) == 1:
        return ranged[0].found.range, None, []
    first, second = ranged[0], ranged[1]
    # "was CPI higher in Q1 or Q2?": two periods as alternatives of a comparative ("users who installed
    # in May or June" stays one span)
    alternatives = _ALTERNATIVES.match(ctx.text[first.end:second.start]) and _COMPARATIVE.search(ctx.text)
    if alternatives or any(c.group() != "delta" or not ctx.original(c.start(), c.end())[:1].isupper()
                           for c in _COMPARE_CUE.finditer(ctx.text)):  # "Delta" with a capital is a name
        gap = ctx.text[first.end:second.start]
        joined = [(first.end, second.start)] if _CONNECTOR.match(gap) else []
        return first.found.range, second.found.range, joined
    restated = _restated(ranged, ctx)
    if restated is not None:
        return restated.found.range, None, []
    if len(ranged) == 2 and _CORRECTION.fullmatch(ctx.text[first.end:second.start]):
        return second.found.range, None, []  # "last week-ish, i mean the last 7 days": the second
    # "May and June" without a comparison word: the span covering both.
    return (
        DateRange(min(h.found.range.start for h in ranged), max(h.found.range.end for h in ranged)),
        None,
        [],
    )


def _cut_at_as_of(window: DateRange | None, as_of: dt.date) -> DateRange | None:
    """A period still running at as_of ("2026", "July", "this quarter") ends with its last complete day.

    Like "this year", a period holding as_of keeps its days before as_of; one that starts on
    as_of is the single day as_of (no complete day yet: zero rows, not an error).
    """
    if window is None or not window.start <= as_of <= window.end or window.start == window.end:
        return window
    return DateRange(window.start, max(window.start, as_of - ONE_DAY))


def _compare_from_words(hits: list[_Hit], window: DateRange | None) -> DateRange | None:
    """"vs the previous period", "vs the month before", "same period last year"."""
    if window is None:
        return None
    for hit in hits:
        if hit.found.kind in _COMPARISONS:
            return _COMPARISONS[hit.found.kind](window, hit.found)
    return None


def _shifted(window: DateRange, days: int) -> DateRange:
    return DateRange(window.start - dt.timedelta(days=days), window.end - dt.timedelta(days=days))


_COMPARISONS = {
    "compare_prev": lambda window, found: preceding(window),
    "compare_unit": lambda window, found: period_of(found.unit, window.start - ONE_DAY),
    "compare_year": lambda window, found: shift_years(window, -1),
    "compare_count": lambda window, found: DateRange(
        trailing(found.unit, found.count, window.start).start, window.start - ONE_DAY),
    "compare_shift": lambda window, found: _shifted(window, int(found.unit)),
}


def _grain(hits: list[_Hit], window: DateRange | None) -> str | None:
    grains = [h.found.grain for h in hits if h.found.kind == "grain"]
    if grains:
        return grains[0]
    return default_grain(window) if any(h.found.kind == "trend" for h in hits) else None


# "the last 7 days vs the 7 days before that", "yesterday and the 6 days before it": a span counted back
# from the period just named
_BEFORE_THAT = re.compile(
    r"(?P<link>\s*,?\s*(?:(?P<vs>vs\.?|versus|compared\s+(?:to|with)|against)|and|plus)\s+)(?:the\s+)?"
    r"(?:(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|fourteen|thirty)\s+)?"
    r"(?P<unit>days?|weeks?|months?)\s+(?:before|prior\s+to|preceding)"
    r"(?:\s+(?:that|it|then|those)\b|(?=\s*(?:[?.,;!)]|$)))")
_SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                  "nine": 9, "ten": 10, "fourteen": 14, "thirty": 30}


def _before_that(window, compare, joined, hits: list[_Hit], ctx: Context):
    """(window, compare, joined): after the last range named, "vs the N days before that" is the
    compared period ending the day before it; "and the N days before it" widens it back by N days."""
    ranged = [h for h in hits if h.found.kind == "range"]
    if window is None or compare is not None or not ranged:
        return window, compare, joined
    last = ranged[-1]
    m = _BEFORE_THAT.match(ctx.text, last.end)
    if m is None:
        return window, compare, joined
    count = int(m["n"]) if m["n"] and m["n"].isdigit() else _SMALL_NUMBERS.get(m["n"] or "", 0)
    unit = m["unit"].rstrip("s")
    span = joined + [(last.end, m.end())]
    day_before = window.start - dt.timedelta(days=1)
    if m["vs"]:
        if unit == "month":  # "the month before that": the calendar month(s) before
            return window, DateRange(add_months(window.start, -(count or 1)), day_before), span
        length = (count or 1) * (7 if unit == "week" else 1)
        return window, DateRange(day_before - dt.timedelta(days=length - 1), day_before), span
    if not count or unit != "day":
        return window, compare, joined
    return DateRange(window.start - dt.timedelta(days=count), window.end), None, span


def _original_spans(hits: list[_Hit], joined, ctx: Context, to_original) -> list[tuple[int, int]]:
    spans = []
    for hit in hits:
        start = hit.start
        if hit.found.kind == "range":  # take "in", "for the", ... along, so the planner drops them too
            window = max(0, hit.start - 40)
            start = window + _LEADING_WORDS.search(ctx.text[window:hit.start]).start()
        spans.append((start, hit.end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans + list(joined)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return [to_original(s, e) for s, e in merged if e > s]
