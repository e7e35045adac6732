"""Keep only groupings and filters the chosen metrics can reach ("organic" means nothing for spend).

A dimension is usable for a metric when the join graph leads from each of the
metric's measure tables to a table declaring it. Word salad or a stray value
("paid spend") should not turn a good plan into an error: the unreachable part
is dropped and counted, and each drop lowers the plan's confidence.
"""
from __future__ import annotations

from semantic_layer import METRIC_TIME
from semantic_layer.errors import SemanticQueryError


def measures_of(model, metric: str, seen: frozenset = frozenset()) -> set[str]:
    """The measures a metric is computed from (ratios and derived metrics through their inputs)."""
    found = model.metrics.get(metric)
    if found is None and metric.startswith("count_distinct:"):
        try:
            found = model.metric(metric)  # generated: its own measure on the dimension's table
        except SemanticQueryError:  # an uncountable name is reported where the query is built
            return set()
    if found is None or metric in seen:
        return set()
    if found.type == "simple":
        return {found.type_params.measure}
    return set().union(*(measures_of(model, m, seen | {metric}) for m in found.inputs()))


def measure_tables(model, metric: str) -> set[str]:
    return {model.measure_table(measure).name for measure in measures_of(model, metric)}


def reachable(model, metrics: tuple[str, ...], dimension: str) -> bool:
    if dimension == METRIC_TIME or not metrics:
        return True
    tables = set().union(*(measure_tables(model, m) for m in metrics))
    return all(model.resolve_dimension(table, dimension) is not None for table in tables)


def prune_unreachable(
    model, metrics: tuple[str, ...], dims: tuple[str, ...], filters
) -> tuple[tuple, tuple, int]:
    """(dims, filters, how many were dropped)."""
    kept_dims = tuple(d for d in dims if reachable(model, metrics, d))
    kept_filters = tuple(f for f in filters if reachable(model, metrics, f.dimension))
    return kept_dims, kept_filters, (len(dims) - len(kept_dims)) + (len(filters) - len(kept_filters))


def snapshot_date_filters(model, metrics: tuple[str, ...], time_range) -> list:
    """ "campaigns launched in March": a snapshot metric's own date dimension, filtered to the range."""
    from semantic_layer import Filter

    tables = set().union(*(measure_tables(model, m) for m in metrics)) if metrics else set()
    dates = [d.name for t in sorted(tables) for d in model.tables[t].dimensions if d.type == "time"]
    if not dates or time_range is None:
        return []
    start, end = time_range
    return [
        Filter(dimension=dates[0], op=">=", values=(start,)),
        Filter(dimension=dates[0], op="<=", values=(end,)),
    ]


def without_time_axis(metrics: tuple[str, ...], model) -> bool:
    """Dimension-only queries and snapshot metrics (campaign count) cannot be grouped by time."""
    measures = set().union(*(measures_of(model, m) for m in metrics)) if metrics else set()
    return all(not model.measure(measure)[1].agg_time_dimension for measure in measures)


def counted_through_facts(model, metrics: tuple[str, ...], dims: tuple[str, ...], filters) -> tuple[str, ...]:
    """ "How many airlines operated out of LGA": a count of a reference table's rows (airlines) cannot
    be filtered by a fact's attribute (the origin of a flight); the distinct count of the fact's key
    to that table (carrier) can. Each such metric is swapped when that reaches every grouping and
    filter the original could not; otherwise the metrics are returned as they are."""
    wanted = [d for d in dims if d != METRIC_TIME] + [f.dimension for f in filters]
    if not wanted or all(reachable(model, metrics, d) for d in wanted):
        return metrics
    swapped = tuple(_fact_key_count(model, m, wanted) or m for m in metrics)
    return swapped if all(reachable(model, swapped, d) for d in wanted) else metrics


def _fact_key_count(model, metric: str, wanted: list[str]) -> str | None:
    from app.engine.nlp.values_index import plain_column

    spec = model.metrics.get(metric)
    if spec is None or spec.type != "simple" or spec.filter:
        return None
    table, measure = model.measures.get(spec.type_params.measure, (None, None))
    if table is None or measure.agg != "count" or measure.agg_time_dimension:
        return None  # only a reference table's row count (no dates of its own)
    primary = next((e for e in table.entities if e.type == "primary"), None)
    if primary is None:
        return None
    for fact in model.spec.semantic_models:
        key = next((e for e in fact.entities if e.type == "foreign" and e.name == primary.name), None)
        if fact is table or key is None:
            continue
        column = plain_column(key.column_expr)
        dim = next((d.name for d in fact.dimensions if d.type == "categorical"
                    and column is not None and plain_column(d.column_expr) == column), None)
        candidate = f"count_distinct:{dim}" if dim else None
        if candidate and all(reachable(model, (candidate,), d) for d in wanted):
            return candidate
    return None
