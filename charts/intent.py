"""The question's intent: normalised from the plan, or inferred from the shape.

Also reads a user's chart override ("as a pie", "show it as a line chart")
into one of the contract's chart types.
"""
from __future__ import annotations

import itertools
import re

from charts.profile import IDENTIFIER, ORDINAL
from charts.shape import Shape
from charts.types import CHART_TYPES, INTENTS
from charts.units import PERCENT, RATIO

_INTENT_ALIASES = {
    "kpi": "single_value", "value": "single_value", "single": "single_value", "total": "single_value",
    "top_n": "rank", "ranking": "rank", "top": "rank", "comparison": "compare", "breakdown": "compare",
    "time_series": "trend", "over_time": "trend", "composition": "share", "part_to_whole": "share",
    "histogram": "distribution", "relationship": "correlation", "table": "list", "lookup": "list",
}

# Most specific phrases first: "stacked bar" must not be read as "bar".
_REQUEST_WORDS: tuple[tuple[str, str], ...] = (
    (r"horizontal|sideways", "horizontal_bar"), (r"stacked area", "area"), (r"stacked", "stacked_bar"),
    (r"grouped|clustered|side by side", "grouped_bar"), (r"multi ?line|multiple lines|lines", "multi_line"),
    (r"area", "area"), (r"line|trend ?line|time ?series", "line"), (r"pie|donut|doughnut", "pie"),
    (r"scatter|dot plot|bubble", "scatter"), (r"histogram|distribution", "histogram"),
    (r"kpi|big number|single number|indicator|scorecard", "kpi"), (r"table|grid|list|raw rows", "table"),
    (r"bars?|columns?|column chart", "bar"),
)


def normalize_intent(intent: str | None) -> str | None:
    if not intent:
        return None
    key = intent.strip().lower().replace("-", "_").replace(" ", "_")
    key = _INTENT_ALIASES.get(key, key)
    return key if key in INTENTS else None


def parse_requested(requested: str | None) -> str | None:
    """The chart type a user asked for, or None when the text names none."""
    if not requested:
        return None
    text = requested.strip().lower()
    if text in CHART_TYPES:
        return text
    text = text.replace("_", " ").replace("-", " ")
    for pattern, chart_type in _REQUEST_WORDS:
        if re.search(rf"\b(?:{pattern})\b", text):
            return chart_type
    return None


def sums_to_whole(shape: Shape) -> bool:
    """The one measure is already shares (fractions summing to 1, or percents to 100)."""
    measure = shape.measures[0]
    present = measure.present
    whole = {RATIO: 1.0, PERCENT: 100.0}.get(measure.unit or "")
    return bool(whole and present and not measure.has_negative and abs(sum(present) - whole) <= 0.01 * whole)


def _is_sorted(values: list[float]) -> bool:
    pairs = list(itertools.pairwise(values))
    return all(a >= b for a, b in pairs) or all(a <= b for a, b in pairs)


def infer_intent(shape: Shape) -> str:
    """What the shape suggests was asked, when the plan did not say."""
    if shape.rows == 1:
        return "single_value"
    if shape.times:
        return "trend"
    if not shape.labels:
        return "distribution" if len(shape.measures) == 1 else "correlation"
    if len(shape.measures) == 1 and sums_to_whole(shape):
        return "share"
    if shape.label is not None and shape.label.role == IDENTIFIER and shape.rows > 50:
        return "list"
    first = shape.measures[0].present if shape.measures else []
    # Sorted values over an ordered axis (a decaying retention curve) are a sequence, not a ranking.
    ordered_axis = shape.label is not None and shape.label.role == ORDINAL
    return "rank" if len(first) > 2 and _is_sorted(first) and not ordered_axis else "compare"
