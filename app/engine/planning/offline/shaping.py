"""What a question asks beyond metrics x dimensions, applied to the built query in order:
thresholds on numeric columns, conditions on a metric per group, totals, cohorts, per-period
averages, shares. Each step consumes the words it used, so the rest can be accounted for."""
from __future__ import annotations

from app.engine.planning.offline.averages import per_period_query, totals_query
from app.engine.planning.offline.cohorts import cohort_query
from app.engine.planning.offline.divided import divided_query
from app.engine.planning.offline.metric_thresholds import (
    counted_groups,
    find_metric_thresholds,
    metric_threshold_query,
)
from app.engine.planning.offline.shares import share_query
from app.engine.planning.offline.thresholds import threshold_query
from semantic_layer import SemanticQuery


def shape_query(query: SemanticQuery, reading, groupings, model) -> SemanticQuery:
    # "destinations with an average arrival delay above 20 minutes": a condition on the metric per
    # group, not also a filter on each flight's delay
    on_metrics = [t.span for t in find_metric_thresholds(reading, model, counting=False)]
    rows = [t for t in reading.thresholds if not any(s < t.span[1] and t.span[0] < e for s, e in on_metrics)]
    query = threshold_query(query, rows, reading, model)
    query = _metric_thresholds(query, reading, model)
    query = totals_query(query, reading, groupings)
    query = cohort_query(query, reading, model)
    query = per_period_query(query, reading)
    query = divided_query(query, reading, model)
    return query if query.divide else share_query(query, reading, model)


def _metric_thresholds(query: SemanticQuery, reading, model) -> SemanticQuery:
    """ "campaigns whose CTR was above 2%", "how many campaigns spent more than $1,000"."""
    counted, grain = counted_groups(query, reading, model)
    found = find_metric_thresholds(reading, model, counting=counted is not None)
    if not found:
        return query
    if grain is not None:
        query = query.model_copy(update={"grain": grain})
    return metric_threshold_query(query, found, reading, counted, model)
