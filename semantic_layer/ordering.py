"""The ORDER BY of a compiled query: as asked, then every remaining key so ties come out the same."""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.model import METRIC_TIME
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.sqltree import ordered


def order_keys(query: SemanticQuery) -> list[exp.Ordered]:
    """The requested order, then every remaining dimension, so ties come out the same every time."""
    keys = [(_column(query, o.field), o.direction == "desc") for o in query.order_by] or _default_order(query)
    named = {field for field, _ in keys}
    keys += [(d, False) for d in query.result_dimensions if d not in named]
    return [ordered(field, descending) for field, descending in keys]


def _column(query: SemanticQuery, field: str) -> str:
    """An order_by field may name a metric whose column is renamed (``cost`` -> ``cost_per_day``)."""
    return query.metric_column(field) if field in query.metrics else field


def _default_order(query: SemanticQuery) -> list[tuple[str, bool]]:
    """Cohorts and time series run forward in time; anything else ranks by its first value
    (a share by itself)."""
    forward = [(d, False) for d in (COHORT_COLUMN, METRIC_TIME) if d in query.result_dimensions]
    if forward:
        return forward
    if query.divide:  # what was asked for: the quotient
        return [(query.divided_column, True)]
    if query.share is not None:  # each within group together, its largest shares first
        return [(d, False) for d in query.share.within] + [(query.share.column, True)]
    if query.metrics:
        return [(query.metric_column(query.metrics[0]), True)]
    return []
