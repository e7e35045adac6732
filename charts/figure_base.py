"""Pieces every figure shares: layout, axes, hover text, options.

Figures are assembled as plain dicts of JSON-native values (the same
structure ``json.loads(plotly.io.to_json(fig))`` gives), which keeps building
fast; tests validate each one through ``plotly.graph_objects.Figure``.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from charts.formatting import LABEL_LIMIT, axis_format, axis_title, display_name, hover_value, short_labels
from charts.profile import TEMPORAL, ColumnProfile, ResultProfile
from charts.types import ChartChoice

GRID = "#e9e9e9"


@dataclass(frozen=True)
class FigureOptions:
    title: str | None = None
    previous_value: float | None = None
    moving_average: bool = False
    anomalies: bool = True


def column(profile: ResultProfile, name: str | None) -> ColumnProfile:
    found = profile.column(name)
    if found is None:
        known = ", ".join(c.name for c in profile.columns)
        raise ValueError(f"chart column {name!r} is not in the result (columns: {known})")
    return found


def measures(profile: ResultProfile, choice: ChartChoice) -> list[ColumnProfile]:
    return [column(profile, name) for name in choice.y]


def base_layout(options: FigureOptions, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "margin": {"l": 60, "r": 30, "t": 60 if options.title else 30, "b": 60},
        "font": {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 12, "color": "#333"},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "legend": {"orientation": "h", "y": -0.2},
    }
    if options.title:
        layout["title"] = {"text": options.title, "x": 0.02, "xanchor": "left"}
    layout.update(extra)
    return layout


def measure_axis(col: ColumnProfile, values: Sequence[float | None] | None = None) -> dict[str, Any]:
    shown = col.values if values is None else values
    return {"title": {"text": axis_title(col.name, col.unit)}, "gridcolor": GRID, "zerolinecolor": "#bbb",
            "automargin": True, **axis_format(col.unit, shown)}


def category_axis(col: ColumnProfile, categories: Sequence[str]) -> dict[str, Any]:
    """A categorical axis in the given order; long names shortened on ticks, full in hover."""
    axis: dict[str, Any] = {"title": {"text": display_name(col.name)}, "type": "category",
                            "categoryorder": "array", "categoryarray": list(categories), "automargin": True}
    if any(len(c) > LABEL_LIMIT for c in categories):
        axis.update(tickmode="array", tickvals=list(categories), ticktext=short_labels(categories))
    return axis


def x_axis(col: ColumnProfile, categories: Sequence[str]) -> dict[str, Any]:
    if col.role == TEMPORAL:
        return {"title": {"text": display_name(col.name)}, "type": "date", "gridcolor": GRID,
                "automargin": True}
    return category_axis(col, categories)


def hover(label_ref: str, col: ColumnProfile, value_ref: str,
          values: Sequence[float | None] = ()) -> str:
    return (f"%{{{label_ref}}}<br>{display_name(col.name)}: "
            f"{hover_value(value_ref, col.unit, values)}<extra></extra>")
