"""``build_chart``: a chart choice and the result rows -> Plotly figure JSON.

Returns ``{"type", "reason", "figure"}`` as the answer contract's ``chart``
field, or None when a table is the right display.  A single number gets a
``kpi`` indicator figure: the contract lists ``kpi`` as a chart type, and a
big number with its change vs the previous period reads better than a
one-cell table.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from charts.choose import choose_chart
from charts.fig_bars import build_bar, build_grouped
from charts.fig_lines import build_line, build_multi_line
from charts.fig_parts import build_kpi, build_pie
from charts.fig_points import build_histogram, build_scatter
from charts.figure_base import FigureOptions
from charts.profile import ResultProfile, profile_result
from charts.types import ChartChoice

Builder = Callable[[ChartChoice, ResultProfile, FigureOptions], dict[str, Any]]


def _area(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    return (build_multi_line if choice.series else build_line)(choice, profile, options)


BUILDERS: dict[str, Builder] = {
    "kpi": build_kpi, "bar": build_bar, "horizontal_bar": build_bar, "grouped_bar": build_grouped,
    "stacked_bar": build_grouped, "line": build_line, "multi_line": build_multi_line, "area": _area,
    "scatter": build_scatter, "histogram": build_histogram, "pie": build_pie,
}


def _needs_encoding(choice: ChartChoice) -> bool:
    return choice.type != "table" and choice.x is None and not choice.y


def build_chart(choice: ChartChoice, columns: Sequence[Any], rows: Sequence[Sequence[Any]], *,
                units: Mapping[str, str] | None = None, title: str | None = None,
                previous_value: float | None = None, moving_average: bool = False,
                anomalies: bool = True) -> dict[str, Any] | None:
    """The contract's ``chart`` object for ``choice``, or None for a table or an empty result.

    A bare ``ChartChoice("pie", ...)`` without columns assigned is encoded here
    the same way an override would be.
    """
    if choice.type == "table" or not rows:
        return None
    if _needs_encoding(choice):
        choice = choose_chart(columns, rows, units=units, requested=choice.type,
                              previous_value=previous_value)
        if choice.type == "table":
            return None
    profile = profile_result(columns, rows, units)
    options = FigureOptions(title, previous_value, moving_average, anomalies)
    figure = BUILDERS[choice.type](choice, profile, options)
    return {"type": choice.type, "reason": choice.reason, "figure": figure}
