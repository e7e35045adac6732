"""Shared finishing steps for a semantic query: time axis, ordering, limit, intent, filters."""
from __future__ import annotations

import re

from app.engine.nlp.timeexpr_periods import default_grain, period_of
from app.engine.planning.offline.lexicon import stem
from app.engine.planning.offline.ranking import DEFAULT_TOP_N, direction_for
from semantic_layer import METRIC_TIME, Filter, OrderBy

# How a whole divides (docs/charts.md: only these ask for a share; "break down X by Y" is just "X by Y").
_SHARE = re.compile(
    r"\b(?:share|split|mix|proportion|percentage\s+of|percent\s+of|composition|contribut\w*)\b"
)
# "is revenue growing?" asks for the shape over time, like "trend".
_CHANGE_WORDS = re.compile(r"\b(?:grow(?:ing|n|s)?|declin\w*|decreas\w*|increas\w*|evolv\w*|trajectory|"
                           r"going\s+(?:up|down)|pick(?:ing|ed)\s+up|slow(?:ing)?\s+down|"
                           r"over\s+the\s+(?:days|weeks|months))\b")
# "by platform and month": a grain listed with other groupings.
_LISTED_GRAIN = re.compile(
    r"\b(?:by|per)\s+(?:[a-z_]+\s+){1,3}(?:and|&|,)\s*(?:by\s+|per\s+)?(day|week|month|quarter|year)\b"
)
# "plot DAU for the last 60 days": a plot of one number is a line over time.
_PLOT = re.compile(r"^\s*(?:plot|graph|chart|draw|visuali[sz]e)\b")
_ONE_PERIOD = re.compile(r"\b(?:day|date|week|month|quarter)\b(?!s)")
_SINGULAR_TIME = re.compile(r"\b(?:which|what)\s+(?:single\s+)?(?:day|date|week|month|quarter|year)\b")


def value_filters_to_filters(value_filters, model) -> list[Filter]:
    known = model.dimensions
    return [Filter(dimension=f.dimension, op=f.op, values=tuple(f.values))
            for f in value_filters if f.dimension in known]


def time_axis(reading) -> tuple[tuple | None, str | None]:
    """(time_range, grain) from the time reading; "June vs May" spans both months by month."""
    time = reading.time
    window = time.range
    grain = (
        time.grain
        or _listed_grain(reading.folded)
        or (
            default_grain(window)
            if _CHANGE_WORDS.search(reading.folded) or _PLOT.search(reading.folded)
            else None
        )
    )
    if window is None:
        return None, grain
    range_ = (window.start, window.end)
    other = time.compare_range
    if other is not None and _adjacent(window, other):
        unit = time.grain or _unit_grain(window)
        if time.grain or (_calendar_unit(window, unit) and _calendar_unit(other, unit)):
            start, end = min(window.start, other.start), max(window.end, other.end)
            return (start, end), unit
        # "the last 7 days vs the 7 days before that": not calendar weeks, so not a weekly series;
        # the two periods are compared as named (accounting.compared_periods)
    return range_, grain


def _calendar_unit(window, unit: str) -> bool:
    """The period is one whole calendar ``unit`` (a Monday-Sunday week, a month ...)."""
    whole = period_of(unit, window.start)
    return (whole.start, whole.end) == (window.start, window.end)


def _listed_grain(folded: str) -> str | None:
    match = _LISTED_GRAIN.search(folded)
    return match.group(1) if match else None


# "which network has the lowest CPI? all networks ranked": the superlative's one row, and every row
_EVERY_ROW_RANKED = re.compile(r"\b(?:all|every|each)\s+(?:of\s+(?:the|them)\s+)?(?:[a-z]+\s+)?"
                               r"(?:ranked|in\s+order)\b|\b(?:rank|ranking\s+of)\s+(?:all|every|each)\b|"
                               r"\bfull\s+(?:ranking|list)\b")


def order_and_limit(reading, metrics: tuple[str, ...], dims: tuple[str, ...], grouping_words: list[str]):
    """order_by and limit from the ranking words (or a sensible default order for groupings)."""
    ranking = reading.ranking
    if not metrics:
        return (), (ranking.limit if ranking else None)
    target = ranking_metric(reading, metrics)
    if ranking is None or (ranking.sense == "limit" and not dims):
        default = (OrderBy(field=metrics[0], direction="desc"),) if dims and METRIC_TIME not in dims else ()
        return default, (ranking.limit if ranking else None)
    direction = direction_for(ranking, target, reading.lower_is_better)
    limit = ranking.limit
    whole = _EVERY_ROW_RANKED.search(reading.folded)
    if limit is None and ranking.superlative and dims and not _alternatives_compared(reading) and not whole:
        limit = _implied_limit(reading, grouping_words)
    if whole:
        reading.consume(whole.span())
    if not dims:
        return (), None
    return (OrderBy(field=target, direction=direction),), limit


def ranking_metric(reading, metrics: tuple[str, ...]) -> str:
    """The metric the ranking words point at: the first named after them, else the first one."""
    ranking = reading.ranking
    if ranking is None:
        return metrics[0]
    after = [m for m in reading.matches if m.start >= ranking.spans[0][1] and m.reading("metric") in metrics]
    return after[0].reading("metric") if after else metrics[0]


def intent_for(metrics, dims, reading, compared: bool) -> str | None:
    """The plan's intent; None for a plain breakdown, so the chart selector reads the result's shape."""
    ranking = reading.ranking
    ranked = ranking is not None and ranking.sense not in ("order", "limit")
    if not metrics:
        return "list"
    if not dims:
        return "single_value"
    if _SHARE.search(reading.folded):
        return "share"
    if compared:
        return "compare"
    if ranked:
        return "rank"  # also periods ranked by value ("which day had the most installs")
    if METRIC_TIME in dims:
        return "trend"
    return "rank" if ranking is not None else None


_COMPARATIVE = re.compile(r"(?:more|less|fewer|higher|lower|bigger|smaller)$")


def _alternatives_compared(reading) -> bool:
    """ "do iOS or Android users come back more": a comparative between alternatives shows them all."""
    start, end = reading.ranking.spans[0]
    return bool(_COMPARATIVE.match(reading.folded[start:end])) and bool(re.search(r"\bor\b", reading.folded))


_WHOLE_RANKING = re.compile(r"\b(?:ranked|ranking|sorted|ordered)\s+(?:them\s+)?by\b|"
                            r"\b(?:worst|best|highest|lowest|biggest|smallest|largest|most|least)\s+first\b")


def _implied_limit(reading, grouping_words: list[str]) -> int | None:
    """ "which source has the most" -> 1; "top campaigns" -> 10; "worst CPI by country" -> all, sorted."""
    if _SINGULAR_TIME.search(reading.folded) or (not grouping_words and _ONE_PERIOD.search(reading.folded)):
        return 1
    if _WHOLE_RANKING.search(reading.folded):
        return None  # "months ranked by cancellation rate, worst first": every one, in order
    word = grouping_words[0] if grouping_words else ""
    plural = bool(word) and stem(word) != word
    if word and re.search(rf"\b(?:which|what|the)\s+(?:\w+\s+)?{re.escape(word)}\b", reading.folded):
        return DEFAULT_TOP_N if plural else 1
    if word and re.search(
        rf"\b(?:by|per|each|every|across)\s+(?:\w+\s+)?{re.escape(word)}\b", reading.folded
    ):
        return None
    return 1 if word and not plural else DEFAULT_TOP_N


def _adjacent(a, b) -> bool:
    import datetime as dt

    one = dt.timedelta(days=1)
    return a.end + one == b.start or b.end + one == a.start


def _unit_grain(window) -> str:
    return unit_grain(window.start, window.end)


def unit_grain(start, end) -> str:
    """The calendar unit a period is (a day, a week, a month, ...), as a grain for comparing periods."""
    days = (end - start).days + 1
    if days <= 1:
        return "day"
    if days <= 7:
        return "week"
    if days <= 31:
        return "month"
    return "quarter" if days <= 92 else "year"
