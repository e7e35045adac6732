"""Part-of-a-whole and single-number figures: pie and kpi."""
from __future__ import annotations

from typing import Any

from charts.arrange import points
from charts.figure_base import FigureOptions, base_layout, column, measures
from charts.formatting import display_name, hover_value, short_labels, value_format
from charts.palette import assign_colours
from charts.profile import ResultProfile
from charts.types import MEASURES_AS_SERIES, ChartChoice
from charts.units import PERCENT, USD


def _slices(choice: ChartChoice, profile: ResultProfile) -> tuple[list[str], list[float], str | None]:
    if choice.series == MEASURES_AS_SERIES:
        parts = measures(profile, choice)
        return [display_name(m.name) for m in parts], [m.values[0] or 0.0 for m in parts], parts[0].unit
    x, y = column(profile, choice.x), column(profile, choice.y[0])
    xs, ys = points(x, y, "value")
    return [str(v) for v in xs], [v or 0.0 for v in ys], y.unit


def build_pie(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    names, values, unit = _slices(choice, profile)
    colours = assign_colours(names)
    trace = {"type": "pie", "labels": short_labels(names), "values": values, "customdata": names,
             "sort": False, "direction": "clockwise", "textinfo": "percent",
             "marker": {"colors": [colours[n] for n in names], "line": {"color": "white", "width": 1}},
             "hovertemplate": f"%{{customdata}}<br>{hover_value('value', unit, values)} "
                              f"(%{{percent}})<extra></extra>"}
    return {"data": [trace], "layout": base_layout(options, legend={"orientation": "v"})}


def _previous(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> float | None:
    if options.previous_value is not None:
        return float(options.previous_value)
    return column(profile, choice.previous).values[0] if choice.previous else None


def build_kpi(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    y = column(profile, choice.y[0])
    previous = _previous(choice, profile, options)
    number = {"valueformat": value_format(y.unit), "prefix": "$" if y.unit == USD else "",
              "suffix": "%" if y.unit == PERCENT else ""}
    caption = "<br><span style='font-size:0.7em;color:#666'>vs previous period</span>" if previous else ""
    trace: dict[str, Any] = {"type": "indicator", "mode": "number+delta" if previous else "number",
                             "value": y.values[0], "number": number,
                             "title": {"text": display_name(y.name) + caption}}
    if previous:
        trace["delta"] = {"reference": previous, "relative": True, "valueformat": ".1%", "position": "bottom"}
    return {"data": [trace], "layout": base_layout(options, height=260)}
