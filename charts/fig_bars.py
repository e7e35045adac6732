"""Bar figures: bar, horizontal_bar, grouped_bar, stacked_bar."""
from __future__ import annotations

from typing import Any

from charts.arrange import SeriesSet, measures_as_series, pivot, points
from charts.figure_base import (
    FigureOptions,
    base_layout,
    category_axis,
    column,
    hover,
    measure_axis,
    measures,
    x_axis,
)
from charts.formatting import display_name, hover_value
from charts.palette import PRIMARY, assign_colours
from charts.profile import TEMPORAL, ColumnProfile, ResultProfile
from charts.types import MEASURES_AS_SERIES, ChartChoice

MAX_VALUE_TEXTS = 20  # write the value on each bar only while that stays legible


def _value_text(measure: ColumnProfile, ref: str, count: int) -> dict[str, Any]:
    if count > MAX_VALUE_TEXTS:
        return {}
    return {"texttemplate": hover_value(ref, measure.unit, measure.values), "textposition": "outside",
            "cliponaxis": False}


def _bar_x_axis(x: ColumnProfile, labels: list[str], order: str | None) -> dict[str, Any]:
    """Periods in time order keep a date axis ("Jan 2026"); anything ranked is categorical."""
    if x.role == TEMPORAL and order != "value":
        return {**x_axis(x, labels), "showgrid": False}
    return category_axis(x, labels)


def build_bar(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    x, y = column(profile, choice.x), column(profile, choice.y[0])
    xs, ys = points(x, y, choice.order)
    labels = [str(v) for v in xs]
    if choice.type == "horizontal_bar":
        trace = {"type": "bar", "orientation": "h", "x": ys, "y": labels, "marker": {"color": PRIMARY},
                 "hovertemplate": hover("y", y, "x", ys), **_value_text(y, "x", len(xs))}
        axes = {"yaxis": {**category_axis(x, labels), "autorange": "reversed"}, "xaxis": measure_axis(y, ys)}
    else:
        trace = {"type": "bar", "x": labels, "y": ys, "marker": {"color": PRIMARY},
                 "hovertemplate": hover("x", y, "y", ys), **_value_text(y, "y", len(xs))}
        axes = {"xaxis": _bar_x_axis(x, labels, choice.order), "yaxis": measure_axis(y, ys)}
    return {"data": [trace], "layout": base_layout(options, showlegend=False, **axes)}


def series_set(choice: ChartChoice, profile: ResultProfile) -> tuple[SeriesSet, ColumnProfile | None]:
    """The series to draw, and the column that named them (None for measures as series)."""
    x = column(profile, choice.x)
    if choice.series == MEASURES_AS_SERIES:
        return measures_as_series(x, measures(profile, choice)), None
    split = column(profile, choice.series)
    return pivot(x, split, column(profile, choice.y[0])), split


def series_names(choice: ChartChoice, names: list[str]) -> dict[str, str]:
    """Legend names: display names for measures, the category values as they are."""
    if choice.series == MEASURES_AS_SERIES:
        return {n: display_name(n) for n in names}
    return {n: n for n in names}


def build_grouped(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    data, split = series_set(choice, profile)
    x, first = column(profile, choice.x), column(profile, choice.y[0])
    labels = [str(v) for v in data.xs]
    legend = series_names(choice, list(data.series))
    colours = assign_colours(legend.values())
    traces = [{"type": "bar", "name": legend[name], "x": labels, "y": values,
               "marker": {"color": colours[legend[name]]},
               "hovertemplate": f"%{{x}}<br>{legend[name]}: {hover_value('y', first.unit, values)}"
                                "<extra></extra>"}
              for name, values in data.series.items()]
    every = [v for values in data.series.values() for v in values]
    legend_title = {"title": {"text": display_name(split.name)}} if split is not None else {}
    layout = base_layout(options, barmode="stack" if choice.type == "stacked_bar" else "group",
                         xaxis=_bar_x_axis(x, labels, choice.order), yaxis=measure_axis(first, every))
    layout["legend"] = {**layout["legend"], **legend_title}
    return {"data": traces, "layout": layout}
