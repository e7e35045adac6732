"""Keep only groupings and filters the chosen metrics can reach ("organic" means nothing for spend).

A dimension is usable for a metric when the join graph leads from each of the
metric's measure tables to a table declaring it. Word salad or a stray value
("paid spend") should not turn a good plan into an error: the unreachable part
is dropped and counted, and each drop lowers the plan's confidence.
"""
from __future__ import annotations

from semantic_layer import METRIC_TIME


def measures_of(model, metric: str, seen: frozenset = frozenset()) -> set[str]:
    """The measures a metric is computed from (ratios and derived metrics through their inputs)."""
    found = model.metrics.get(metric)
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
    return all(not model.measures[measure][1].agg_time_dimension for measure in measures)
