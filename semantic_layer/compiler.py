"""Compile a semantic query into one SQL statement (a sqlglot tree) per dialect.

Shape of the output::

    SELECT dims, <metric expressions over measure columns>
    FROM (branch_1 UNION ALL branch_2 ...) AS measures   -- one row per group per branch
    GROUP BY dims [HAVING thresholds] ORDER BY ... LIMIT ...

Each branch aggregates its measures from one table on its own, filtered by
its own date column, and joins only many-to-one (see joins.py), so nothing is
double counted. Branches are stacked with UNION ALL rather than joined: no
join on NULL keys, and no FULL JOIN whose ClickHouse defaults would turn a
missing group into zeros on one engine and NULLs on the other. Ratio and
derived metrics are computed after aggregation, with NULL-safe division.
Metric expressions are in metric_values.py. Shares (shares.py), per-period
averages (per_period.py) and thresholds with their group counts (thresholds.py)
reuse the branches.
"""
from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

from semantic_layer.branches import branch_select, rows_exist
from semantic_layer.checks import check_query
from semantic_layer.dimension_query import compile_dimension_query
from semantic_layer.errors import SemanticQueryError
from semantic_layer.expressions import date_literal, safe_divide
from semantic_layer.metric_values import MEASURES_ALIAS, measures_column, metric_expression
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.ordering import order_keys
from semantic_layer.per_period import per_period_select
from semantic_layer.plan import QueryPlan, plan_query
from semantic_layer.query import SemanticQuery
from semantic_layer.query_options import PERIOD_COLUMN
from semantic_layer.rollup_sql import routed_select
from semantic_layer.rollups import RollupChoice, RollupState, choose_rollup, usable_states
from semantic_layer.shares import compile_share
from semantic_layer.sqltree import aliased, ordered, select_node, subquery, union_all
from semantic_layer.thresholds import count_of_groups, threshold_conditions

DIALECTS = ("duckdb", "clickhouse")


def compile_semantic_query(model: SemanticModel, query: SemanticQuery, dialect: str = "duckdb", *,
                           rollups: Mapping[str, RollupState] | None = None) -> exp.Expression:
    """The query as a sqlglot SELECT for ``dialect`` (``duckdb`` or ``clickhouse``).

    ``rollups``: the built rollups (``read_rollup_states``); a branch they cover exactly is
    answered from the smallest of them (rollups.py). None or empty: base tables only.
    """
    return _compile(model, query, dialect, rollups)[0]


def rollups_used(model: SemanticModel, query: SemanticQuery, dialect: str,
                 rollups: Mapping[str, RollupState] | None) -> tuple[exp.Expression, list[RollupChoice]]:
    """The compiled query and the rollups it reads (empty when it reads base tables only)."""
    return _compile(model, query, dialect, rollups)


def rollup_choices(model: SemanticModel, query: SemanticQuery,
                   rollups: Mapping[str, RollupState] | None) -> list[RollupChoice]:
    """The rollups the query's branches would read, without compiling it."""
    if not rollups or query.per_period or query.share is not None or (not query.metrics and not query.having):
        return []
    states = usable_states(model, rollups)
    if not states:
        return []
    choices = (choose_rollup(model, query, b, states) for b in plan_query(model, query).branches)
    return [c for c in choices if c]


def _compile(model: SemanticModel, query: SemanticQuery, dialect: str,
             rollups: Mapping[str, RollupState] | None) -> tuple[exp.Expression, list[RollupChoice]]:
    if dialect not in DIALECTS:
        raise SemanticQueryError(f"unsupported dialect {dialect!r}; use one of: {', '.join(DIALECTS)}")
    if query.periods:
        return _compile_periods(model, query, dialect, rollups)
    if not query.metrics and not query.having:
        return compile_dimension_query(model, query, dialect), []
    if query.share is not None:
        return compile_share(model, query, dialect), []
    plan = plan_query(model, query)
    aliases = list(plan.uses)
    states = usable_states(model, rollups) if rollups and not query.per_period else {}
    choices = [choose_rollup(model, query, b, states) if states else None for b in plan.branches]
    select = per_period_select if query.per_period else branch_select
    selects = [routed_select(model, query, b, c, aliases, dialect) if c
               else select(model, query, b, aliases, dialect) for b, c in zip(plan.branches, choices)]
    stacked = subquery(union_all(selects), MEASURES_ALIAS)
    group = [measures_column(d) for d in query.result_dimensions]
    # No grouping: an empty period gives zero rows rather than one row of zeros.
    conditions = ([] if group else [rows_exist()]) + threshold_conditions(model, plan)
    conditions += _ranked_members(query) + _counted_members(query)
    having = exp.and_(*conditions, copy=False) if conditions else None
    used = [c for c in choices if c]
    if query.count_groups:
        groups = select_node(_dimension_columns(query), stacked, group=group, having=having)
        return count_of_groups(query, groups), used
    return select_node(_outer_columns(model, plan), stacked, group=group, having=having,
                       order=order_keys(query), limit=query.limit), used


def _compile_periods(model: SemanticModel, query: SemanticQuery, dialect: str,
                     rollups: Mapping[str, RollupState] | None) -> tuple[exp.Expression, list[RollupChoice]]:
    """ "installs in January vs June": the query once per period, each keyed by the period's first
    day, stacked in period order (each keeps its own order and limit: "top 3 in Q1 vs top 3 in Q2")."""
    check_query(model, query)
    blocks, used = [], []
    one = query
    for index, (start, end) in enumerate(query.periods):
        one = query.model_copy(update={"periods": (), "time_range": (start, end)})
        select, chosen = _compile(model, one, dialect, rollups)
        block = f"{_BLOCK}{index}"
        blocks.append(select_node([aliased(date_literal(start), PERIOD_COLUMN),
                                   *[exp.column(c, table=block) for c in one.output_columns()]],
                                  subquery(select, block)))
        used += chosen
    columns = [exp.column(c, table=_BLOCK) for c in query.output_columns()]
    order = [ordered(PERIOD_COLUMN, False)] + order_keys(one)
    return select_node(columns, subquery(union_all(blocks), _BLOCK), order=order), used


_BLOCK = "period_block"


def _ranked_members(query: SemanticQuery) -> list[exp.Expression]:
    """A top/bottom N ranks members: "the top 5 campaigns" has no row for installs without one."""
    ranked = query.limit is not None and any(o.field in query.metrics for o in query.order_by)
    if not ranked:
        return []
    return [exp.Not(this=exp.Is(this=measures_column(d), expression=exp.Null()))
            for d in query.result_dimensions if d != METRIC_TIME]


def _counted_members(query: SemanticQuery) -> list[exp.Expression]:
    """ "how many different ad sets got installs": rows without an ad set are no ad set, so a group
    whose value is NULL is not counted (as COUNT(DISTINCT ...) would not)."""
    if not query.count_groups:
        return []
    return [exp.Not(this=exp.Is(this=measures_column(d), expression=exp.Null()))
            for d in query.result_dimensions if d != METRIC_TIME]


def _dimension_columns(query: SemanticQuery) -> list[exp.Expression]:
    return [aliased(measures_column(d), d) for d in query.result_dimensions]


def _outer_columns(model: SemanticModel, plan: QueryPlan) -> list[exp.Expression]:
    query = plan.query
    metrics = [aliased(metric_expression(model, plan, m.name), query.metric_column(m.name))
               for m in plan.metrics]
    if query.divide:  # "what share of the March installers have paid": one metric over another, per row
        numerator, denominator = (metric_expression(model, plan, m) for m in query.divide)
        metrics.insert(0, aliased(safe_divide(numerator, denominator), query.divided_column))
    return _dimension_columns(query) + metrics
