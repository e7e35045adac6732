"""Metrics generated from a name: ``count_distinct:<dimension>`` and ``sum_squares:<metric>``.

"How many distinct OS versions do iOS users run" needs no YAML entry: any
categorical dimension can be counted. The count runs over the dimension's own
table -- the first semantic model (file order) declaring it that has dated
measures, else the first declaring it -- and takes that table's date as its
time axis (installs -> install date), so filters, the time range, grains and
cohorts work as for any metric of that table. NULL values are not counted.

``sum_squares:<metric>`` is the sum of the squared amounts of a simple metric whose measure is a sum
(``sum_squares:revenue``: SUM(revenue * revenue)), with the metric's own filters, on its table and time
axis. Not a business metric (it is in no catalog): the spread of a sum of amounts is the square root of
it, so ``explain_change`` can tell a country that lost two thirds of many purchases from a device model
that lost one large purchase (``app/engine/insights/change.py``).
"""
from __future__ import annotations

from dataclasses import dataclass

from semantic_layer.errors import SemanticQueryError, unknown_name_error
from semantic_layer.schema import Measure, Metric, MetricParams, SemanticTable

COUNT_DISTINCT_PREFIX = "count_distinct:"
SUM_SQUARES_PREFIX = "sum_squares:"


@dataclass(frozen=True)
class GeneratedMetric:
    metric: Metric
    table: SemanticTable
    measure: Measure


def is_generated(name: str) -> bool:
    return name.startswith((COUNT_DISTINCT_PREFIX, SUM_SQUARES_PREFIX))


def sum_squares_metric(metrics: dict[str, Metric], measures: dict[str, tuple[SemanticTable, Measure]],
                       name: str) -> GeneratedMetric:
    """The metric for ``sum_squares:<metric>``; raises for an unknown metric or one that is not a sum."""
    base = name[len(SUM_SQUARES_PREFIX):]
    metric = metrics.get(base)
    if metric is None:
        raise unknown_name_error("metric in " + repr(name), base, set(metrics))
    found = measures.get(metric.type_params.measure or "") if metric.type == "simple" else None
    if found is None or found[1].agg != "sum" or found[1].rollup is not None:
        raise SemanticQueryError(f"{name!r}: {base!r} is not a sum of amounts; sum_squares squares the "
                                 "amounts a simple sum metric adds up")
    table, summed = found
    expr = summed.column_expr
    measure = Measure(name=name, agg="sum", expr=f"({expr}) * ({expr})",
                      agg_time_dimension=summed.agg_time_dimension,
                      description=f"Sum of the squared amounts of {base}.")
    squares = Metric(name=name, type="simple", type_params=MetricParams(measure=name), filter=metric.filter,
                     description=f"Sum of the squared amounts of {base} (its spread; not a business metric).")
    return GeneratedMetric(squares, table, measure)


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
