"""Map a chart type onto a result's columns: which is x, which are y, which splits series.

``encode(chart_type, shape)`` returns a :class:`ChartChoice` (reason left for
the caller) or a short text saying why that type cannot show this result.
Selection rules and user overrides both go through it, so an override is
checked by exactly the rules that build the figure.
"""
from __future__ import annotations

from collections.abc import Callable

from charts.profile import NOMINAL, ORDINAL, ColumnProfile
from charts.shape import Shape
from charts.types import MEASURES_AS_SERIES, ChartChoice

MAX_PIE_PARTS = 12
_PREVIOUS_WORDS = frozenset({"prev", "previous", "prior", "baseline"})

Encoding = ChartChoice | str


def previous_measure(shape: Shape) -> ColumnProfile | None:
    """A measure that holds the previous period's value (``revenue_prev``, ``previous_installs``)."""
    return next((m for m in shape.measures if set(m.name.lower().split("_")) & _PREVIOUS_WORDS), None)


def _no_measure() -> str:
    return "there is no numeric column to plot"


def encode_kpi(chart_type: str, shape: Shape) -> Encoding:
    if not shape.measures:
        return _no_measure()
    if shape.rows != 1:
        return f"a KPI shows one number and this result has {shape.rows} rows"
    previous = previous_measure(shape)
    value = next((m for m in shape.measures if m is not previous), shape.measures[0])
    if value.values[0] is None:
        return f"the single value of {value.name} is empty (NULL)"
    prev_name = previous.name if previous is not None and previous is not value else None
    return ChartChoice("kpi", "", y=(value.name,), previous=prev_name)


def _series_axes(shape: Shape) -> tuple[ColumnProfile, str] | None:
    """(x, series column) when the result holds several series, else None."""
    if shape.time is not None and shape.labels and len(shape.measures) == 1:
        return shape.time, shape.labels[0].name
    if len(shape.labels) >= 2 and len(shape.measures) == 1 and shape.time is None:
        first, second = sorted(shape.labels[:2], key=lambda c: -c.distinct)
        return first, second.name
    axis = shape.time or shape.label
    if axis is not None and len(shape.measures) >= 2:
        return axis, MEASURES_AS_SERIES
    return None


def encode_bar(chart_type: str, shape: Shape) -> Encoding:
    if not shape.measures:
        return _no_measure()
    if _series_axes(shape) is not None:
        return "it holds several series, which need grouped or stacked bars"
    axis = shape.label or shape.time
    if axis is None:
        return "bars need a category or date column to label them"
    return ChartChoice(chart_type, "", x=axis.name, y=(shape.measures[0].name,))


def encode_grouped(chart_type: str, shape: Shape) -> Encoding:
    axes = _series_axes(shape)
    if axes is None:
        return "there is only one series, so there is nothing to group or stack"
    x, series = axes
    measures = shape.measures if series == MEASURES_AS_SERIES else shape.measures[:1]
    return ChartChoice(chart_type, "", x=x.name, y=tuple(m.name for m in measures), series=series)


def _ordered_axis(shape: Shape) -> ColumnProfile | None:
    return shape.time or next((c for c in shape.labels if c.role == ORDINAL), None)


def encode_line(chart_type: str, shape: Shape) -> Encoding:
    if not shape.measures:
        return _no_measure()
    x = _ordered_axis(shape)
    if x is None:
        named = shape.label.name if shape.label else "the rows"
        return f"a line needs a time or ordered axis, and {named!s} is not one"
    others = [c for c in shape.labels if c is not x and c.role in (NOMINAL, ORDINAL)]
    if others and len(shape.measures) == 1:
        kind = "area" if chart_type == "area" else "multi_line"
        return ChartChoice(kind, "", x=x.name, y=(shape.measures[0].name,), series=others[0].name)
    if len(shape.measures) >= 2:
        kind = "area" if chart_type == "area" else "multi_line"
        return ChartChoice(kind, "", x=x.name, y=tuple(m.name for m in shape.measures),
                           series=MEASURES_AS_SERIES)
    kind = "line" if chart_type == "multi_line" else chart_type
    return ChartChoice(kind, "", x=x.name, y=(shape.measures[0].name,))


def _pie_problem(values: list[float], parts: int) -> str | None:
    if any(v < 0 for v in values):
        return "it has negative values, and a pie shows parts of a positive whole"
    if sum(values) <= 0:
        return "its values add up to nothing"
    return f"{parts} parts are too many for a pie" if parts > MAX_PIE_PARTS else None


def encode_pie(chart_type: str, shape: Shape) -> Encoding:
    if not shape.measures:
        return _no_measure()
    if shape.rows == 1 and len(shape.measures) >= 2:
        values = [m.values[0] or 0.0 for m in shape.measures]
        problem = _pie_problem(values, len(values))
        names = tuple(m.name for m in shape.measures)
        return problem or ChartChoice("pie", "", y=names, series=MEASURES_AS_SERIES)
    axis = shape.label or shape.time
    if axis is None or len(shape.labels) > 1 or (shape.label and shape.time):
        return "a pie needs exactly one category column to name its parts"
    measure = shape.measures[0]
    problem = _pie_problem(measure.present, axis.distinct)
    return problem or ChartChoice("pie", "", x=axis.name, y=(measure.name,))


def encode_scatter(chart_type: str, shape: Shape) -> Encoding:
    if len(shape.measures) >= 2:
        x, y = shape.measures[:2]
        # A few repeated categories colour the points; a distinct name labels each one.
        colour = next((c for c in shape.labels if c.role == NOMINAL and c.distinct <= 10
                       and c.distinct < shape.rows), None)
        label = next((c for c in shape.labels if c is not colour), None)
        return ChartChoice("scatter", "", x=x.name, y=(y.name,), label=label.name if label else None,
                           series=colour.name if colour else None)
    x = _ordered_axis(shape)
    if x is None or not shape.measures:
        return "a scatter needs two numeric columns (or a measure over time)"
    return ChartChoice("scatter", "", x=x.name, y=(shape.measures[0].name,))


def encode_histogram(chart_type: str, shape: Shape) -> Encoding:
    if not shape.measures:
        return _no_measure()
    if shape.rows < 2:
        return "a distribution needs more than one value"
    return ChartChoice("histogram", "", x=shape.measures[0].name)


def encode_table(chart_type: str, shape: Shape) -> Encoding:
    return ChartChoice("table", "")


ENCODERS: dict[str, Callable[[str, Shape], Encoding]] = {
    "kpi": encode_kpi, "bar": encode_bar, "horizontal_bar": encode_bar,
    "grouped_bar": encode_grouped, "stacked_bar": encode_grouped,
    "line": encode_line, "multi_line": encode_line, "area": encode_line,
    "pie": encode_pie, "scatter": encode_scatter, "histogram": encode_histogram, "table": encode_table,
}


def encode(chart_type: str, shape: Shape) -> Encoding:
    return ENCODERS[chart_type](chart_type, shape)
