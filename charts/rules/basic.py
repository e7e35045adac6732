"""Rules for empty, single-row, listing, distribution and two-measure results."""
from __future__ import annotations

import numpy as np

from charts.encode import encode, previous_measure
from charts.profile import IDENTIFIER
from charts.rules.common import (
    MAX_BAR_CATEGORIES,
    MAX_SELECTED_PIE_PARTS,
    MIN_HISTOGRAM_ROWS,
    MIN_SCATTER_ROWS,
    chart,
    table,
)
from charts.shape import Shape
from charts.types import ChartChoice


def table_for_empty(shape: Shape, intent: str) -> ChartChoice | None:
    return table("the query returned no rows") if shape.rows == 0 else None


def table_for_listing(shape: Shape, intent: str) -> ChartChoice | None:
    return table("a list of rows reads best as a table") if intent == "list" else None


def kpi_for_single_value(shape: Shape, intent: str) -> ChartChoice | None:
    previous = previous_measure(shape)
    own = [m for m in shape.measures if m is not previous]
    if shape.rows != 1 or len(own) != 1 or (intent == "share" and len(shape.measures) > 1):
        return None
    encoded = encode("kpi", shape)
    if isinstance(encoded, str):
        return table(f"{encoded}, so there is no number to show")
    delta = " with its change vs the previous period" if previous is not None else ""
    return encoded.with_reason(f"a single value reads best as a KPI{delta}")


def pie_for_single_row_parts(shape: Shape, intent: str) -> ChartChoice | None:
    if shape.rows != 1 or intent != "share" or len(shape.measures) > MAX_SELECTED_PIE_PARTS:
        return None
    names = ", ".join(m.name for m in shape.measures)
    return chart("pie", shape, f"{names} as parts of one whole")


def table_for_single_row(shape: Shape, intent: str) -> ChartChoice | None:
    return table("one row of several values reads best as a table") if shape.rows == 1 else None


def table_without_measure(shape: Shape, intent: str) -> ChartChoice | None:
    return None if shape.measures else table("there is no numeric column to plot")


def _one_value_per_row(shape: Shape) -> bool:
    label = shape.label
    return label is None or label.role == IDENTIFIER or label.distinct > MAX_BAR_CATEGORIES


def histogram_for_distribution(shape: Shape, intent: str) -> ChartChoice | None:
    if len(shape.measures) != 1 or shape.times:
        return None
    if shape.labels and not (intent == "distribution" and _one_value_per_row(shape)):
        return None
    if shape.rows < MIN_HISTOGRAM_ROWS:
        return table(f"{shape.rows} values are too few for a distribution")
    return chart("histogram", shape, f"the distribution of {shape.measures[0].name} over {shape.rows} rows")


def correlation_text(shape: Shape) -> str:
    x, y = shape.measures[:2]
    pairs = [(a, b) for a, b in zip(x.values, y.values) if a is not None and b is not None]
    if len(pairs) < 3:
        return ""
    with np.errstate(invalid="ignore", divide="ignore"):
        r = float(np.corrcoef(np.array(pairs, dtype=float).T)[0, 1])
    return "" if np.isnan(r) else f" (r = {r:.2f})"


def scatter_for_two_measures(shape: Shape, intent: str) -> ChartChoice | None:
    if len(shape.measures) < 2 or shape.rows < MIN_SCATTER_ROWS:
        return None
    unasked = not shape.labels and not shape.times and len(shape.measures) == 2
    if intent != "correlation" and not unasked:
        return None
    x, y = shape.measures[:2]
    return chart("scatter", shape,
                 f"{y.name} against {x.name} across {shape.rows} rows{correlation_text(shape)}")
