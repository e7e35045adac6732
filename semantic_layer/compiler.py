"""Compile a semantic query into one SQL statement (a sqlglot tree) per dialect.

Shape of the output::

    SELECT dims, <metric expressions over measure columns>
    FROM (branch_1 UNION ALL branch_2 ...) AS measures   -- one row per group per branch
    GROUP BY dims ORDER BY ... LIMIT ...

Each branch aggregates its measures from one table on its own, filtered by
its own date column, and joins only many-to-one (see joins.py), so nothing is
double counted. Branches are stacked with UNION ALL rather than joined: no
join on NULL keys, and no FULL JOIN whose ClickHouse defaults would turn a
missing group into zeros on one engine and NULLs on the other. Ratio and
derived metrics are computed after aggregation, with NULL-safe division.
Shares (shares.py) and per-period averages (per_period.py) reuse the branches.
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.branches import branch_select, rows_exist
from semantic_layer.dimension_query import compile_dimension_query
from semantic_layer.errors import SemanticQueryError
from semantic_layer.expressions import parenthesized, parsed_expression, safe_divide
from semantic_layer.model import SemanticModel
from semantic_layer.ordering import order_keys
from semantic_layer.per_period import per_period_select
from semantic_layer.plan import QueryPlan, alias_of, plan_query
from semantic_layer.query import SemanticQuery
from semantic_layer.shares import compile_share
from semantic_layer.sqltree import aliased, select_node, subquery, union_all

DIALECTS = ("duckdb", "clickhouse")
MEASURES_ALIAS = "measures"
_NOT_SUMMED = ("average", "min", "max")


def compile_semantic_query(model: SemanticModel, query: SemanticQuery,
                           dialect: str = "duckdb") -> exp.Expression:
    """The query as a sqlglot SELECT for ``dialect`` (``duckdb`` or ``clickhouse``)."""
    if dialect not in DIALECTS:
        raise SemanticQueryError(f"unsupported dialect {dialect!r}; use one of: {', '.join(DIALECTS)}")
    if not query.metrics:
        return compile_dimension_query(model, query, dialect)
    if query.share is not None:
        return compile_share(model, query, dialect)
    plan = plan_query(model, query)
    aliases = list(plan.uses)
    select = per_period_select if query.per_period else branch_select
    stacked = union_all([select(model, query, b, aliases, dialect) for b in plan.branches])
    group = [_measures_column(d) for d in query.result_dimensions]
    # No grouping: an empty period gives zero rows rather than one row of zeros.
    having = None if group else rows_exist()
    return select_node(_outer_columns(model, plan), subquery(stacked, MEASURES_ALIAS), group=group,
                       having=having, order=order_keys(query), limit=query.limit)


def _measures_column(name: str) -> exp.Column:
    return exp.column(name, table=MEASURES_ALIAS)


def _outer_columns(model: SemanticModel, plan: QueryPlan) -> list[exp.Expression]:
    query = plan.query
    dims = [aliased(_measures_column(d), d) for d in query.result_dimensions]
    metrics = [aliased(metric_expression(model, plan, m.name), query.metric_column(m.name))
               for m in plan.metrics]
    return dims + metrics


def metric_expression(model: SemanticModel, plan: QueryPlan, name: str) -> exp.Expression:
    """A metric as an expression over the aggregated measure columns."""
    metric = model.metric(name)
    if metric.type == "simple":
        column = _measures_column(alias_of(plan, metric))
        if model.measure(metric.type_params.measure)[1].agg in _NOT_SUMMED:
            # One row per group: an average of a group no row of this branch has is unknown, not zero.
            return exp.Max(this=column)
        # A group present in another branch only has no row here: zero, not NULL.
        return exp.Coalesce(this=exp.Sum(this=column), expressions=[exp.Literal.number(0)])
    if metric.type == "ratio":
        params = metric.type_params
        return safe_divide(metric_expression(model, plan, params.numerator),
                           metric_expression(model, plan, params.denominator))
    return _derived_expression(model, plan, metric.type_params.expr)


def _derived_expression(model: SemanticModel, plan: QueryPlan, sql: str) -> exp.Expression:
    def guard_division(node: exp.Expression) -> exp.Expression:
        return safe_divide(node.this, node.expression) if isinstance(node, exp.Div) else node

    def substitute_metric(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            return parenthesized(metric_expression(model, plan, node.name))
        return node

    # Divisions first, while the tree holds only metric names: the metrics
    # substituted afterwards carry their own NULL-safe divisions.
    tree = parsed_expression(sql, model.dialect).transform(guard_division)
    return tree.transform(substitute_metric)
