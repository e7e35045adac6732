"""Check a semantic query against the model before planning: names, shapes, and misuse.

Each check raises :class:`SemanticQueryError` with what to change; they run in
order, so the first problem of a query is the one reported.
"""
from __future__ import annotations

from semantic_layer.errors import SemanticQueryError, unknown_name_error
from semantic_layer.expressions import numeric_filter
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import COHORT_COLUMN
from semantic_layer.schema import TIME_GRAINS, Filter, Metric

_ADDITIVE = ("sum", "count", "count_distinct")
# A finer bucket nests in a coarser one (weeks do not nest in months).
_NESTS = {"day": set(TIME_GRAINS) - {"day"}, "week": set(), "month": {"quarter", "year"}, "quarter": {"year"},
          "year": set()}


def check_query(model: SemanticModel, query: SemanticQuery) -> None:
    check_names(model, query)
    _check_thresholds(model, query)
    _check_share(model, query)
    _check_per_period(model, query)


def check_names(model: SemanticModel, query: SemanticQuery) -> None:
    if not query.metrics and not query.dimensions:
        raise SemanticQueryError("a query needs at least one metric or one dimension")
    for name in query.metrics:
        if model.metric(name) is None:
            raise unknown_name_error("metric", name, model.metrics)
    for name in query.group_by:
        _check_groupable(model, name)
    if len(set(query.group_by)) != len(query.group_by) or len(set(query.metrics)) != len(query.metrics):
        raise SemanticQueryError("a metric or dimension is listed twice; list each once")
    outputs = set(query.result_dimensions) | set(query.value_columns()) | set(query.metrics)
    for order in query.order_by:
        if order.field not in outputs:
            raise unknown_name_error("order_by field (must be a queried metric or dimension)",
                                     order.field, outputs)
    check_filters(model, query.filters, "filter")
    if query.time_range and query.time_range[0] > query.time_range[1]:
        start, end = query.time_range
        raise SemanticQueryError(f"time range starts after it ends: {start} > {end}")
    if query.cohort is not None:
        _check_cohort(model, query)
    _check_periods(query)
    if query.divide and (query.share is not None or query.count_groups):
        raise SemanticQueryError("divide cannot be combined with a share or count_groups; ask for the "
                                 "two metrics with divide alone")


def _check_periods(query: SemanticQuery) -> None:
    if not query.periods:
        return
    if len(query.periods) < 2:
        raise SemanticQueryError("periods compares two or more periods; for one period use time_range")
    for start, end in query.periods:
        if start > end:
            raise SemanticQueryError(f"period starts after it ends: {start} > {end}")
    if query.time_range is not None:
        raise SemanticQueryError("give either time_range or periods (each period is its own time range)")
    if METRIC_TIME in query.group_by:
        raise SemanticQueryError("periods already key the rows by period; drop metric_time, or ask for "
                                 "one time_range covering them by metric_time")


def _check_groupable(model: SemanticModel, name: str) -> None:
    if name == COHORT_COLUMN:
        raise SemanticQueryError("group by install cohort with cohort=Cohort(grain=...), "
                                 "not a 'cohort' dimension")
    if name in model.entity_keys and name not in model.dimensions:
        return  # an entity's key groups rows ("users with more than one purchase": by user)
    if name not in model.dimensions:
        raise unknown_name_error("dimension", name, model.dimensions)
    if model.dimensions[name].type == "numeric":
        raise SemanticQueryError(f"numeric dimension {name!r} cannot group rows; filter on it ({name} > 0.8) "
                                 "or ask for a metric that averages it")


def check_filters(model: SemanticModel, filters: tuple[Filter, ...], kind: str) -> None:
    for filt in filters:
        if filt.dimension not in model.dimensions:
            raise unknown_name_error("dimension", filt.dimension, model.dimensions)
        if filt.dimension == METRIC_TIME:
            raise SemanticQueryError("filter time with time_range, not with a metric_time filter")
        if filt.op not in ("in", "not in") and len(filt.values) != 1:
            raise SemanticQueryError(f"{kind} {filt.to_text()!r}: operator {filt.op!r} takes one value; "
                                     "use 'in'")
        if model.dimensions[filt.dimension].type == "numeric":
            numeric_filter(filt)  # raises for a value that is not a number


def _check_cohort(model: SemanticModel, query: SemanticQuery) -> None:
    check_filters(model, query.cohort.filters, "cohort filter")
    window = query.cohort.install_range
    if window and window[0] > window[1]:
        raise SemanticQueryError(f"cohort install range starts after it ends: {window[0]} > {window[1]}")


def _check_thresholds(model: SemanticModel, query: SemanticQuery) -> None:
    for condition in query.having:
        if model.metric(condition.metric) is None:
            raise unknown_name_error("metric in having", condition.metric, model.metrics)
    if not query.having and not query.count_groups:
        return
    if query.share is not None or query.per_period is not None:
        asked = "a share" if query.share is not None else "a per-period average"
        raise SemanticQueryError(f"having and count_groups cannot be combined with {asked}; ask for the "
                                 "metric's totals with having, or for the share/average without it")
    if not query.count_groups:
        return
    if not query.result_dimensions:
        raise SemanticQueryError("count_groups counts the groups of the query's dimensions; add the "
                                 "dimension whose values are counted (e.g. dimensions=['campaign_name'])")
    if query.order_by or query.limit is not None:
        raise SemanticQueryError("count_groups returns one row, so order_by and limit do not apply; drop "
                                 "them (to rank the groups, ask for them without count_groups)")


def _check_share(model: SemanticModel, query: SemanticQuery) -> None:
    share = query.share
    if share is None:
        return
    _require_additive(model, model.metric(share.of), "a share")
    check_filters(model, share.where, "share filter")
    for name in share.within:
        if name not in query.dimensions or name == METRIC_TIME:
            grouping = ', '.join(d for d in query.dimensions if d != METRIC_TIME) or 'none'
            raise SemanticQueryError(f"share within {name!r}: 'within' names grouping dimensions of the "
                                     f"query ({grouping}); time buckets and cohorts are always within")
    if query.per_period:
        raise SemanticQueryError("a share cannot be averaged per period; "
                                 "ask for the share over the whole period")


def _check_per_period(model: SemanticModel, query: SemanticQuery) -> None:
    period = query.per_period
    if period is None:
        return
    for name in query.metrics:
        _require_additive(model, model.metric(name), f"an average per {period}")
    grain = query.time_grain
    if grain is not None and grain not in _NESTS[period]:
        raise SemanticQueryError(
            f"per_period {period!r} with metric_time by {grain!r}: the period must be a finer bucket "
            f"that nests in the grain ({', '.join(sorted(_NESTS[period])) or 'no grain'}); "
            "e.g. per_period='day' by month")


def _require_additive(model: SemanticModel, metric: Metric, what: str) -> None:
    if metric.type != "simple":
        raise SemanticQueryError(f"{what} needs a simple (additive) metric; {metric.name!r} is a "
                                 f"{metric.type} metric of {', '.join(metric.inputs())}: ask for it on "
                                 f"its own, or for {what} of one of those")
    measure = model.measure(metric.type_params.measure)[1]
    if measure.rollup is not None:
        raise SemanticQueryError(f"{what} needs an additive metric; {metric.name!r} is already an "
                                 f"average per {measure.rollup.grain}: ask for it directly")
    if measure.agg not in _ADDITIVE:
        raise SemanticQueryError(f"{what} needs an additive metric; {metric.name!r} is an {measure.agg} "
                                 "(averages do not add up): ask for it directly")
