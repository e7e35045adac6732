"""Resolve a semantic query against the model: which measures, from which tables.

The plan is dialect-free. Measures are grouped into branches: one branch per
(semantic table, metric filters, rollup), each aggregated on its own before
the branches meet, so a measure is never multiplied by another table's rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from semantic_layer.joins import ResolvedDimension
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.query import SemanticQuery, SemanticQueryError, unknown_name_error
from semantic_layer.schema import Filter, Measure, Metric, SemanticTable


@dataclass(frozen=True)
class MeasureUse:
    """A measure with the filters of the simple metric that uses it; ``alias`` names its column."""

    alias: str
    measure: Measure
    filters: tuple[Filter, ...]


@dataclass
class Branch:
    """Measures aggregated together from one table with the same filters."""

    table: SemanticTable
    filters: tuple[Filter, ...]
    uses: list[MeasureUse] = field(default_factory=list)
    dimensions: dict[str, ResolvedDimension] = field(default_factory=dict)

    @property
    def time_dimension(self) -> str | None:
        return self.uses[0].measure.agg_time_dimension

    @property
    def rollup(self):
        return self.uses[0].measure.rollup


@dataclass
class QueryPlan:
    query: SemanticQuery
    metrics: list[Metric]
    uses: dict[str, MeasureUse]  # by alias, in first-use order
    branches: list[Branch]


def plan_query(model: SemanticModel, query: SemanticQuery) -> QueryPlan:
    check_names(model, query)
    metrics = [model.metrics[name] for name in query.metrics]
    uses = _measure_uses(model, metrics)
    branches = _branches(model, uses.values())
    for branch in branches:
        _resolve_branch_dimensions(model, query, branch)
    return QueryPlan(query, metrics, uses, branches)


def check_names(model: SemanticModel, query: SemanticQuery) -> None:
    if not query.metrics and not query.dimensions:
        raise SemanticQueryError("a query needs at least one metric or one dimension")
    for name in query.metrics:
        if name not in model.metrics:
            raise unknown_name_error("metric", name, model.metrics)
    for name in list(query.group_by) + [f.dimension for f in query.filters]:
        if name not in model.dimensions:
            raise unknown_name_error("dimension", name, model.dimensions)
    if len(set(query.group_by)) != len(query.group_by) or len(set(query.metrics)) != len(query.metrics):
        raise SemanticQueryError("a metric or dimension is listed twice; list each once")
    outputs = set(query.metrics) | set(query.group_by)
    for order in query.order_by:
        if order.field not in outputs:
            raise unknown_name_error("order_by field (must be a queried metric or dimension)", order.field, outputs)
    for filt in query.filters:
        if filt.dimension == METRIC_TIME:
            raise SemanticQueryError("filter time with time_range, not with a metric_time filter")
        if filt.op not in ("in", "not in") and len(filt.values) != 1:
            raise SemanticQueryError(f"filter {filt.to_text()!r}: operator {filt.op!r} takes one value; use 'in'")
    if query.time_range and query.time_range[0] > query.time_range[1]:
        raise SemanticQueryError(f"time range starts after it ends: {query.time_range[0]} > {query.time_range[1]}")


def _measure_uses(model: SemanticModel, metrics: list[Metric]) -> dict[str, MeasureUse]:
    uses: dict[str, MeasureUse] = {}
    for metric in metrics:
        for simple in _simple_inputs(model, metric):
            use = MeasureUse(simple.name, model.measures[simple.type_params.measure][1], simple.filter)
            if all((u.measure, u.filters) != (use.measure, use.filters) for u in uses.values()):
                uses[use.alias] = use
    return uses


def _simple_inputs(model: SemanticModel, metric: Metric) -> list[Metric]:
    if metric.type == "simple":
        return [metric]
    return [s for name in metric.inputs() for s in _simple_inputs(model, model.metrics[name])]


def alias_of(plan: QueryPlan, simple: Metric) -> str:
    """The column holding a simple metric's measure (shared when two metrics are the same measure)."""
    measure = simple.type_params.measure
    return next(u.alias for u in plan.uses.values() if u.measure.name == measure and u.filters == simple.filter)


def _branches(model: SemanticModel, uses) -> list[Branch]:
    branches: dict[tuple, Branch] = {}
    for use in uses:
        table = model.measure_table(use.measure.name)
        key = (table.name, use.filters, use.measure.agg_time_dimension, use.measure.rollup)
        branches.setdefault(key, Branch(table, use.filters)).uses.append(use)
    return list(branches.values())


def _resolve_branch_dimensions(model: SemanticModel, query: SemanticQuery, branch: Branch) -> None:
    wanted = [d for d in query.group_by if d != METRIC_TIME]
    wanted += [f.dimension for f in query.filters + branch.filters]
    for name in wanted:
        resolved = model.resolve_dimension(branch.table.name, name)
        if resolved is None:
            raise _unreachable(branch, name)
        branch.dimensions[name] = resolved
    if METRIC_TIME in query.group_by and branch.time_dimension is None:
        metric = branch.uses[0].alias
        raise SemanticQueryError(f"metric {metric!r} has no time axis, so it cannot be grouped by {METRIC_TIME}")


def _unreachable(branch: Branch, name: str) -> SemanticQueryError:
    metrics = ", ".join(repr(u.alias) for u in branch.uses)
    return SemanticQueryError(
        f"dimension {name!r} is not available for {metrics} (from {branch.table.name!r}): no join path "
        f"leads to it; drop it or query those metrics separately"
    )
