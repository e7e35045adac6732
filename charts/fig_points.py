"""Figures of individual values: scatter (two measures) and histogram (one)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from charts.figure_base import FigureOptions, base_layout, column, measure_axis, x_axis
from charts.formatting import axis_format, axis_title, display_name, hover_value
from charts.palette import PRIMARY, assign_colours
from charts.profile import QUANTITATIVE, ColumnProfile, ResultProfile
from charts.types import ChartChoice


def _x_axis(x: ColumnProfile) -> dict[str, Any]:
    return measure_axis(x) if x.role == QUANTITATIVE else x_axis(x, sorted({str(v) for v in x.present}))


def _groups(choice: ChartChoice, profile: ResultProfile) -> dict[str, list[int]]:
    """Row positions per colour group (one group when nothing colours the points)."""
    x, y = column(profile, choice.x), column(profile, choice.y[0])
    keep = [i for i, (a, b) in enumerate(zip(x.values, y.values)) if a is not None and b is not None]
    if choice.series is None:
        return {display_name(y.name): keep}
    split = column(profile, choice.series)
    groups: dict[str, list[int]] = defaultdict(list)
    for i in keep:
        groups[str(split.values[i])].append(i)
    return dict(sorted(groups.items()))


def build_scatter(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    x, y = column(profile, choice.x), column(profile, choice.y[0])
    label = column(profile, choice.label) if choice.label else None
    groups = _groups(choice, profile)
    colours = assign_colours(groups) if choice.series else {}
    x_hover = hover_value("x", x.unit, x.values) if x.role == QUANTITATIVE else "%{x}"
    template = (f"{display_name(x.name)}: {x_hover}<br>"
                f"{display_name(y.name)}: {hover_value('y', y.unit, y.values)}<extra></extra>")
    traces = []
    for name, rows in groups.items():
        trace = {"type": "scatter", "mode": "markers", "name": name, "x": [x.values[i] for i in rows],
                 "y": [y.values[i] for i in rows], "marker": {"color": colours.get(name, PRIMARY), "size": 8,
                                                              "opacity": 0.8},
                 "hovertemplate": ("%{text}<br>" if label else "") + template}
        if label is not None:
            trace["text"] = [str(label.values[i]) for i in rows]
        traces.append(trace)
    layout = base_layout(options, showlegend=bool(choice.series), hovermode="closest",
                         xaxis=_x_axis(x), yaxis=measure_axis(y))
    return {"data": traces, "layout": layout}


def build_histogram(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    x = column(profile, choice.x)
    values = x.present
    trace = {"type": "histogram", "x": values,
             "marker": {"color": PRIMARY, "line": {"color": "white", "width": 1}},
             "hovertemplate": f"{display_name(x.name)}: %{{x}}<br>%{{y:,}} rows<extra></extra>"}
    xaxis = {"title": {"text": axis_title(x.name, x.unit)}, "automargin": True, **axis_format(x.unit, values)}
    yaxis = {"title": {"text": "Rows"}, "gridcolor": "#e9e9e9", "automargin": True}
    layout = base_layout(options, showlegend=False, bargap=0.05, xaxis=xaxis, yaxis=yaxis)
    return {"data": [trace], "layout": layout}
