"""``choose_chart``: profile the result, settle the intent, apply rules and overrides."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from charts.encode import encode
from charts.intent import infer_intent, normalize_intent, parse_requested
from charts.profile import profile_result
from charts.select import select_chart
from charts.shape import Shape, shape_of
from charts.types import ChartChoice

_READABLE = {"horizontal_bar": "horizontal bar", "grouped_bar": "grouped bar", "stacked_bar": "stacked bar",
             "multi_line": "multi-line chart", "kpi": "KPI", "line": "line chart", "area": "area chart",
             "bar": "bar chart", "pie": "pie", "scatter": "scatter plot", "histogram": "histogram",
             "table": "table"}


def readable(chart_type: str) -> str:
    return _READABLE.get(chart_type, chart_type)


def with_article(chart_type: str) -> str:
    """The chart's readable name with its article: "a pie", "an area chart"."""
    name = readable(chart_type)
    return ("an " if name[0] in "aeiou" else "a ") + name


def _apply_request(requested: str, shape: Shape, best: ChartChoice) -> ChartChoice:
    wanted = parse_requested(requested)
    if wanted is None:
        return best.with_reason(f"{best.reason} (no chart type recognised in {requested!r})")
    if wanted == best.type:
        return best.with_reason(f"as requested: {best.reason}")
    encoded = encode(wanted, shape)
    if isinstance(encoded, str) and wanted in ("bar", "horizontal_bar"):
        encoded = encode("grouped_bar", shape)  # "as bars" on several series means grouped bars
    if isinstance(encoded, ChartChoice) and shape.rows > 0:
        adjusted = ("" if encoded.type == wanted
                    else f" ({readable(encoded.type)}, as the data has that shape)")
        return encoded.with_reason(f"as requested: {with_article(wanted)}{adjusted}")
    why = encoded if isinstance(encoded, str) else "the query returned no rows"
    return best.with_reason(f"{with_article(wanted)} does not fit: {why}; instead {best.reason}")


def choose_chart(columns: Sequence[Any], rows: Sequence[Sequence[Any]], *, intent: str | None = None,
                 units: Mapping[str, str] | None = None, requested: str | None = None,
                 previous_value: float | None = None) -> ChartChoice:
    """The chart type for a result (``.type``, ``.reason``), deterministic for the same input.

    ``intent`` comes from the plan (None: inferred from the shape); ``requested``
    is a user's override such as "as a pie", honoured when the data fits it.
    ``previous_value`` lets a single number be read as a KPI with a delta.
    """
    shape = shape_of(profile_result(columns, rows, units))
    settled = normalize_intent(intent) or infer_intent(shape)
    best = select_chart(shape, settled)
    if best.type == "kpi" and previous_value is not None and best.previous is None:
        best = best.with_reason("a single value reads best as a KPI with its change vs the previous period")
    return _apply_request(requested, shape, best) if requested else best
