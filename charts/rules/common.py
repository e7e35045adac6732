"""Thresholds and helpers the selection rules share."""
from __future__ import annotations

import re
from collections.abc import Callable

from charts.encode import encode
from charts.shape import Shape
from charts.types import ChartChoice

MAX_SELECTED_PIE_PARTS = 6   # a pie is chosen unasked only for a few parts of a whole
MAX_BAR_CATEGORIES = 50      # beyond this, bars stop being readable: a table
MAX_SERIES = 10              # beyond this, the top series plus "Other"
# Vertical bars put their labels side by side under the axis: a default chart's
# ~540 px plot area holds about 72 characters of Plotly's 12 px tick font. When
# bars x longest label exceeds that, labels collide and get rotated, so the bars
# turn horizontal (8 media sources x "Apple Search Ads" = 128; 10 countries x 2 = 20).
LABEL_ROW_CHARS = 72
MANY_BARS = 10               # more bars than this read as a list, top to bottom, whatever the labels
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


def labels_crowd_the_axis(longest_label: int, count: int) -> bool:
    """True when the labels are too long or too many to sit side by side under vertical bars."""
    return count > MANY_BARS or count * longest_label > LABEL_ROW_CHARS


def bar_orientation(longest_label: int, count: int) -> str:
    return "horizontal_bar" if labels_crowd_the_axis(longest_label, count) else "bar"


def is_additive(unit: str | None) -> bool:
    """Counts and money add up across series; rates and unknown ratios (ROAS) do not."""
    return unit in ("count", "USD")


# Money per unit (CPI, ARPU, LTV, an average) is in USD but does not add up across groups.
_PER_UNIT_MONEY = re.compile(r"^(?:cp[aicm]|arp\w*|ltv\w*|ecpm|avg_\w+|average_\w+|\w+_per_\w+)$")


def adds_up(name: str, unit: str | None) -> bool:
    """Values that sum to a meaningful total (installs, spend), so they can be parts of a whole."""
    return is_additive(unit) and not _PER_UNIT_MONEY.match(name.lower())


def series_note(count: int, unit: str | None) -> str:
    if count <= MAX_SERIES:
        return ""
    rest = "the rest summed as Other" if is_additive(unit) else "the rest left out (they do not add up)"
    return f"; the top {MAX_SERIES - 1} of {count} series are drawn, {rest}"
