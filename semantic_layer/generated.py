"""Metrics generated from a name: ``count_distinct:<dimension>``.

"How many distinct OS versions do iOS users run" needs no YAML entry: any
categorical dimension can be counted. The count runs over the dimension's own
table -- the first semantic model (file order) declaring it that has dated
measures, else the first declaring it -- and takes that table's date as its
time axis (installs -> install date), so filters, the time range, grains and
cohorts work as for any metric of that table. NULL values are not counted.
"""
from __future__ import annotations

from dataclasses import dataclass

from semantic_layer.errors import SemanticQueryError, unknown_name_error
from semantic_layer.schema import Measure, Metric, MetricParams, SemanticTable

COUNT_DISTINCT_PREFIX = "count_distinct:"


@dataclass(frozen=True)
class GeneratedMetric:
    metric: Metric
    table: SemanticTable
    measure: Measure


def is_generated(name: str) -> bool:
    return name.startswith(COUNT_DISTINCT_PREFIX)


def count_distinct_metric(tables: dict[str, SemanticTable], name: str) -> GeneratedMetric:
    """The metric for ``count_distinct:<dimension>``; raises for an unknown or uncountable dimension."""
    dimension = name[len(COUNT_DISTINCT_PREFIX):]
    declaring = [t for t in tables.values() if t.dimension(dimension)]
    if not declaring:
        known = {d.name for t in tables.values() for d in t.dimensions if d.type == "categorical"}
        raise unknown_name_error("dimension in " + repr(name), dimension, known)
    dim = declaring[0].dimension(dimension)
    if dim.type != "categorical":
        raise SemanticQueryError(f"{name!r}: {dimension!r} is a {dim.type} dimension; count_distinct "
                                 "counts the values of a categorical dimension "
                                 "(group by metric_time to count per period)")
    table = next((t for t in declaring if _date_of(t)), declaring[0])
    declared = table.dimension(dimension)
    measure = Measure(name=name, agg="count_distinct", expr=declared.column_expr,
                      agg_time_dimension=_date_of(table),
                      description=f"Distinct values of {dimension} among {table.name} rows.")
    metric = Metric(name=name, type="simple", units="count", type_params=MetricParams(measure=name),
                    description=f"Number of distinct {dimension} values "
                    f"({table.name} rows; NULL not counted).")
    return GeneratedMetric(metric, table, measure)


def _date_of(table: SemanticTable) -> str | None:
    """The date a table's measures are dated by (install date for installs), if any."""
    return next((m.agg_time_dimension for m in table.measures if m.agg_time_dimension), None)
