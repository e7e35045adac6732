"""The vocabulary of the chart selector: chart types, intents, and a choice.

A :class:`ChartChoice` is plain data: the chart type, a one-line reason a
person can read, and which result columns play which part (x axis, measures,
series).  ``build_chart`` turns it into Plotly figure JSON; nothing here runs
code that came from a model.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

# The answer contract's chart types (shared/spec/answer-contract.md).
CHART_TYPES: tuple[str, ...] = (
    "kpi", "bar", "horizontal_bar", "grouped_bar", "stacked_bar", "line",
    "multi_line", "area", "scatter", "histogram", "pie", "table",
)

# What the question asks for, as the planner reports it.
INTENTS: tuple[str, ...] = (
    "single_value", "rank", "compare", "trend", "share", "distribution", "correlation", "list",
)


@dataclass(frozen=True)
class ChartChoice:
    """One chart decision.

    ``x`` is the category, time or first-measure column; ``y`` the measure
    columns drawn; ``series`` a column whose values split the data into
    series (``"__measures__"`` when the measures themselves are the series);
    ``label`` names each point in hover text (scatter); ``previous`` a column
    holding the previous period's value (KPI delta); ``order`` how bars are
    sorted.
    """

    type: str
    reason: str
    x: str | None = None
    y: tuple[str, ...] = ()
    series: str | None = None
    label: str | None = None
    previous: str | None = None
    order: str | None = None  # "value" or "axis"; None lets the figure follow the x column's role

    def __post_init__(self) -> None:
        if self.type not in CHART_TYPES:
            raise ValueError(f"unknown chart type {self.type!r}; expected one of {', '.join(CHART_TYPES)}")

    def with_reason(self, reason: str) -> ChartChoice:
        return replace(self, reason=reason)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "reason": self.reason}


MEASURES_AS_SERIES = "__measures__"
