"""Thresholds and helpers the selection rules share."""
from __future__ import annotations

from collections.abc import Callable

from charts.encode import encode
from charts.shape import Shape
from charts.types import ChartChoice

MAX_SELECTED_PIE_PARTS = 6   # a pie is chosen unasked only for a few parts of a whole
MAX_BAR_CATEGORIES = 50      # beyond this, bars stop being readable: a table
MAX_SERIES = 10              # beyond this, the top series plus "Other"
LONG_LABEL_CHARS = 12        # longer labels read better on a horizontal bar
MANY_BARS = 10
MIN_HISTOGRAM_ROWS = 10
MIN_SCATTER_ROWS = 5
MAX_GROUPED_MEASURES = 5
MAX_STACKED_PERIODS = 12     # more periods than this and stacked bars turn into a stacked area

Rule = Callable[[Shape, str], ChartChoice | None]


def chart(chart_type: str, shape: Shape, reason: str) -> ChartChoice | None:
    """The encoded choice with its reason, or None when the type cannot show the shape."""
    encoded = encode(chart_type, shape)
    return encoded.with_reason(reason) if isinstance(encoded, ChartChoice) else None


def table(reason: str) -> ChartChoice:
    return ChartChoice("table", reason)


def bar_orientation(longest_label: int, count: int) -> str:
    return "horizontal_bar" if longest_label > LONG_LABEL_CHARS or count > MANY_BARS else "bar"


def is_additive(unit: str | None) -> bool:
    """Counts and money add up across series; rates and unknown ratios (ROAS) do not."""
    return unit in ("count", "USD")


def series_note(count: int, unit: str | None) -> str:
    if count <= MAX_SERIES:
        return ""
    rest = "the rest summed as Other" if is_additive(unit) else "the rest left out (they do not add up)"
    return f"; the top {MAX_SERIES - 1} of {count} series are drawn, {rest}"
