"""Resolve a semantic query against the model: which measures, from which tables.

The plan is dialect-free. Measures are grouped into branches: one branch per
(semantic table, metric filters, rollup), each aggregated on its own before
the branches meet, so a measure is never multiplied by another table's rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from semantic_layer.checks import check_query
from semantic_layer.cohorts import CohortJoin, resolve_cohort
from semantic_layer.errors import SemanticQueryError
from semantic_layer.joins import ResolvedDimension, reachable_tables
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.query import SemanticQuery
from semantic_layer.schema import Filter, Measure, Metric, SemanticTable


@dataclass(frozen=True)
class MeasureUse:
    """A measure with the filters of the simple metric that uses it; ``alias`` names its column."""

    alias: str
    measure: Measure
    filters: tuple[Filter, ...]


@dataclass
class Branch:
    """Measures aggregated together from one table with the same filters.

    ``null_keys`` are result dimensions the branch does not group by (it selects NULL
    there: a share's total); ``constants`` are extra integer columns (the share's marker).
    """

    table: SemanticTable
    filters: tuple[Filter, ...]
    uses: list[MeasureUse] = field(default_factory=list)
    dimensions: dict[str, ResolvedDimension] = field(default_factory=dict)
    cohort: CohortJoin | None = None
    null_keys: frozenset[str] = frozenset()
    constants: tuple[tuple[str, int], ...] = ()
    # filters of the query describing the members' activity, which the cohort's size does not take
    activity_filters: frozenset[str] = frozenset()
    # a measure that cannot reach the cohort's members (ad spend) read over the cohort's install
    # window instead: what acquiring the cohort cost ("cohort ROAS": their revenue / that spend)
    acquisition_window: tuple | None = None

    @property
    def time_dimension(self) -> str | None:
        return self.uses[0].measure.agg_time_dimension

    @property
    def rollup(self):
        return self.uses[0].measure.rollup

    @property
    def counts_its_cohort(self) -> bool:
        """The branch measures the cohort table itself on its own date (installs: the cohort's size);
        known once the cohort is resolved (``cohort_own_branch`` asks the model before that)."""
        return (self.cohort is not None and self.table.name == self.cohort.table.name
                and self.time_dimension == self.cohort.time_dimension.name)


@dataclass
class QueryPlan:
    query: SemanticQuery
    metrics: list[Metric]  # the output metrics (a having-only metric has measure uses, not a column)
    uses: dict[str, MeasureUse]  # by alias, in first-use order
    branches: list[Branch]


def plan_query(model: SemanticModel, query: SemanticQuery) -> QueryPlan:
    check_query(model, query)
    metrics = [model.metric(name) for name in query.metrics]
    # A having condition's metric is measured like an output metric, in the same branches.
    uses = _measure_uses(model, metrics + [model.metric(name) for name in query.condition_metrics])
    branches = _branches(model, uses.values())
    for branch in branches:
        resolve_branch(model, query, branch)
    for branch in branches:  # a filter only the cohort's size skips must describe another metric
        for name in branch.activity_filters:
            if not any(name in other.dimensions for other in branches if other is not branch):
                raise _unreachable(branch, name)
    return QueryPlan(query, metrics, uses, branches)


def _measure_uses(model: SemanticModel, metrics: list[Metric]) -> dict[str, MeasureUse]:
    uses: dict[str, MeasureUse] = {}
    for metric in metrics:
        for simple in simple_inputs(model, metric):
            use = measure_use(model, simple)
            if all((u.measure, u.filters) != (use.measure, use.filters) for u in uses.values()):
                uses[use.alias] = use
    return uses


def measure_use(model: SemanticModel, simple: Metric, alias: str | None = None) -> MeasureUse:
    measure = model.measure(simple.type_params.measure)[1]
    return MeasureUse(alias or column_alias(simple.name), measure, simple.filter)


def column_alias(name: str) -> str:
    """A plain SQL name for a measure column (generated metric names hold a colon)."""
    return re.sub(r"\W", "_", name)


def simple_inputs(model: SemanticModel, metric: Metric) -> list[Metric]:
    if metric.type == "simple":
        return [metric]
    return [s for name in metric.inputs() for s in simple_inputs(model, model.metric(name))]


def alias_of(plan: QueryPlan, simple: Metric) -> str:
    """The column holding a simple metric's measure (shared when two metrics are the same measure)."""
    measure = simple.type_params.measure
    return next(u.alias for u in plan.uses.values()
                if u.measure.name == measure and u.filters == simple.filter)


def _branches(model: SemanticModel, uses) -> list[Branch]:
    branches: dict[tuple, Branch] = {}
    for use in uses:
        table = model.measure_table(use.measure.name)
        key = (table.name, use.filters, use.measure.agg_time_dimension, use.measure.rollup)
        branches.setdefault(key, Branch(table, use.filters)).uses.append(use)
    return list(branches.values())


def resolve_branch(model: SemanticModel, query: SemanticQuery, branch: Branch) -> None:
    """Where each wanted dimension (and the cohort) is found from the branch's table."""
    if query.cohort is not None and acquired_in_window(model, query, branch):
        # "cohort ROAS for April by source": the spend of the cohort's install window, on the cohort's
        # own attributes (media source, country ...), next to what the members did
        branch.acquisition_window = query.cohort.install_range
        branch.filters = branch.filters + tuple(f for f in query.cohort.filters if f not in branch.filters)
    wanted = [d for d in query.group_by if d != METRIC_TIME and d not in branch.null_keys]
    wanted += [f.dimension for f in query.filters + branch.filters]
    own = cohort_own_branch(model, query, branch)
    grouped = set(query.group_by)
    for name in wanted:
        resolved = model.resolve_dimension(branch.table.name, name)
        if resolved is None and own and name not in grouped:
            # "what % of April's installers made a purchase in May": the purchase describes what the
            # members did (the numerator), not who they are; the cohort's size counts every member
            branch.activity_filters |= {name}
            continue
        if resolved is None:
            raise _unreachable(branch, name)
        branch.dimensions[name] = resolved
    metrics = ", ".join(repr(u.alias) for u in branch.uses)
    if query.cohort is not None and branch.acquisition_window is None:
        branch.cohort = resolve_cohort(model, query.cohort, branch.table, f"metric {metrics}")
    if branch.time_dimension is None and (METRIC_TIME in query.group_by or query.per_period):
        asked = f"grouped by {METRIC_TIME}" if METRIC_TIME in query.group_by else "averaged per period"
        raise SemanticQueryError(f"metric {metrics} has no time axis, so it cannot be {asked}")


def acquired_in_window(model: SemanticModel, query: SemanticQuery, branch: Branch) -> bool:
    """The branch cannot reach the cohort table (ad spend: a campaign is not a user) but is dated, the
    cohort has an install window and no cohort buckets, and another branch of the query does reach
    the cohort (a ratio of the members' activity to what acquiring them cost)."""
    spec = model.spec.cohort
    cohort = query.cohort
    if spec is None or cohort.install_range is None or cohort.grain is not None:
        return False
    if branch.time_dimension is None:
        return False
    def reaches_cohort(table: str) -> bool:
        return table == spec.semantic_model or spec.semantic_model in reachable_tables(model.edges, table)

    if reaches_cohort(branch.table.name):
        return False
    others = {model.measure_table(s.type_params.measure).name for m in query.metrics
              for s in simple_inputs(model, model.metric(m))} - {branch.table.name}
    return any(reaches_cohort(t) for t in others)


def cohort_own_branch(model: SemanticModel, query: SemanticQuery, branch: Branch) -> bool:
    """The branch measures the cohort table itself on its own date (installs: the cohort's size)."""
    spec = model.spec.cohort
    return (query.cohort is not None and spec is not None and branch.table.name == spec.semantic_model
            and branch.time_dimension == spec.time_dimension)


def _unreachable(branch: Branch, name: str) -> SemanticQueryError:
    metrics = ", ".join(repr(u.alias) for u in branch.uses)
    return SemanticQueryError(
        f"dimension {name!r} is not available for {metrics} (from {branch.table.name!r}): no join path "
        f"leads to it; drop it or query those metrics separately"
    )
