"""Chart glue: units from the semantic layer, intent and override from the plan."""
from __future__ import annotations

from typing import Any

from app.engine.contract import ChartOut
from app.engine.planning.plan import Plan
from semantic_layer import SemanticModel
from warehouse.base import Result


def units_for(model: SemanticModel, column_names: list[str], query=None) -> dict[str, str]:
    """Units of the metric columns, derived ones too: ``installs_share`` is a ratio, ``cost_per_day``
    is USD like cost, ``count_distinct:country`` a count. With the semantic query that made the rows,
    its own word wins (``SemanticQuery.column_units``: a group count is a count)."""
    units = {}
    for name in column_names:
        base = name.split("_per_")[0] if "_per_" in name else name
        metric = model.metrics.get(base)
        if name.endswith("_share") and name.removesuffix("_share") in model.metrics:
            units[name] = "ratio"
        elif name.startswith("count_distinct:"):
            units[name] = "count"
        elif metric is not None and getattr(metric, "units", None):
            units[name] = metric.units
    if query is not None:
        units.update(query.column_units(model))
    return units


def chart_for(result: Result, plan: Plan, units: dict[str, str], previous_value: float | None,
              title: str | None = None) -> ChartOut | None:
    """The chart a good analyst would pick for these rows, or None for a table."""
    from charts import build_chart, choose_chart

    columns = [(c.name, c.type) for c in result.columns]
    choice = choose_chart(columns, result.rows, intent=getattr(plan, "intent", None), units=units,
                          requested=getattr(plan, "chart", None), previous_value=previous_value)
    built: dict[str, Any] | None = build_chart(choice, columns, result.rows, units=units, title=title,
                                               previous_value=previous_value)
    if built is None:
        return None
    return ChartOut(type=built["type"], reason=built["reason"], figure=built["figure"])
