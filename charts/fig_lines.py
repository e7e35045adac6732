"""Time-series figures: line (with anomaly markers and an optional moving average),
multi_line (one line per category or per measure, a second axis for a second
unit) and area (stacked when there are several series)."""
from __future__ import annotations

from typing import Any

from charts.anomalies import anomaly_indices, default_window, moving_average
from charts.arrange import points
from charts.fig_bars import series_names, series_set
from charts.figure_base import FigureOptions, base_layout, column, hover, measure_axis, measures, x_axis
from charts.formatting import display_name, hover_value
from charts.palette import ANOMALY, MOVING_AVERAGE, PRIMARY, assign_colours
from charts.profile import ColumnProfile, ResultProfile
from charts.types import MEASURES_AS_SERIES, ChartChoice

MAX_MARKED_POINTS = 31  # show a marker per point up to about a month of days


def _mode(count: int) -> str:
    return "lines+markers" if count <= MAX_MARKED_POINTS else "lines"


def _anomaly_trace(xs: list[Any], ys: list[float | None], y: ColumnProfile) -> dict[str, Any] | None:
    unusual = anomaly_indices(ys)
    if not unusual:
        return None
    return {"type": "scatter", "mode": "markers", "name": "Anomaly", "x": [xs[i] for i in unusual],
            "y": [ys[i] for i in unusual],
            "marker": {"color": ANOMALY, "size": 11, "symbol": "circle-open", "line": {"width": 2}},
            "hovertemplate": f"Unusual {display_name(y.name).lower()}: "
                             f"{hover_value('y', y.unit, ys)}<extra></extra>"}


def _average_trace(xs: list[Any], ys: list[float | None]) -> dict[str, Any]:
    window = default_window([str(v) for v in xs])
    return {"type": "scatter", "mode": "lines", "name": f"{window}-period moving average", "x": xs,
            "y": moving_average(ys, window), "line": {"color": MOVING_AVERAGE, "dash": "dash", "width": 1.5},
            "hoverinfo": "skip"}


def build_line(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    x, y = column(profile, choice.x), column(profile, choice.y[0])
    xs, ys = points(x, y, "axis")
    main = {"type": "scatter", "mode": _mode(len(xs)), "name": display_name(y.name), "x": xs, "y": ys,
            "line": {"color": PRIMARY, "width": 2}, "hovertemplate": hover("x", y, "y", ys)}
    if choice.type == "area":
        main.update(fill="tozeroy", mode="lines")
    extras = [_anomaly_trace(xs, ys, y) if options.anomalies else None,
              _average_trace(xs, ys) if options.moving_average else None]
    traces = [main] + [t for t in extras if t is not None]
    layout = base_layout(options, showlegend=len(traces) > 1, hovermode="x unified",
                         xaxis=x_axis(x, [str(v) for v in xs]), yaxis=measure_axis(y, ys))
    return {"data": traces, "layout": layout}


def _second_axis(choice: ChartChoice, profile: ResultProfile) -> ColumnProfile | None:
    """The second measure when two measures over time have different units."""
    if choice.series != MEASURES_AS_SERIES or len(choice.y) != 2:
        return None
    first, second = measures(profile, choice)
    return second if first.unit != second.unit else None


def _series_trace(name: str, values: list[float | None], xs: list[Any], colour: str, unit: str | None,
                  on_right: bool, stacked: bool) -> dict[str, Any]:
    trace = {"type": "scatter", "mode": "lines" if stacked else _mode(len(xs)), "name": name, "x": xs,
             "y": values, "line": {"color": colour, "width": 2},
             "hovertemplate": f"{name}: {hover_value('y', unit, values)}<extra></extra>"}
    if on_right:
        trace["yaxis"] = "y2"
    if stacked:
        trace["stackgroup"] = "one"
    return trace


def build_multi_line(choice: ChartChoice, profile: ResultProfile, options: FigureOptions) -> dict[str, Any]:
    data, split = series_set(choice, profile)
    x, first = column(profile, choice.x), column(profile, choice.y[0])
    legend = series_names(choice, list(data.series))
    colours = assign_colours(legend.values())
    right = _second_axis(choice, profile)
    on_right = {name: right is not None and name == right.name for name in data.series}
    traces = [_series_trace(legend[name], values, data.xs, colours[legend[name]],
                            right.unit if on_right[name] else first.unit, on_right[name],
                            choice.type == "area")
              for name, values in data.series.items()]
    left_values = [v for name, values in data.series.items() if not on_right[name] for v in values]
    layout = base_layout(options, hovermode="x unified", xaxis=x_axis(x, [str(v) for v in data.xs]),
                         yaxis=measure_axis(first, left_values))
    if right is not None:
        layout["yaxis2"] = {**measure_axis(right), "overlaying": "y", "side": "right", "showgrid": False}
    if split is not None:
        layout["legend"] = {**layout["legend"], "title": {"text": display_name(split.name)}}
    return {"data": traces, "layout": layout}
