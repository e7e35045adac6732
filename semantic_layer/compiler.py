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
"""
from __future__ import annotations

from sqlglot import exp

from semantic_layer.branches import branch_select, rows_exist
from semantic_layer.dimension_query import compile_dimension_query
from semantic_layer.expressions import parenthesized, parsed_expression, safe_divide
from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.plan import QueryPlan, alias_of, plan_query
from semantic_layer.query import SemanticQuery, SemanticQueryError
from semantic_layer.sqltree import aliased, ordered, select_node, subquery, union_all

DIALECTS = ("duckdb", "clickhouse")
MEASURES_ALIAS = "measures"


def compile_semantic_query(model: SemanticModel, query: SemanticQuery, dialect: str = "duckdb") -> exp.Expression:
    """The query as a sqlglot SELECT for ``dialect`` (``duckdb`` or ``clickhouse``)."""
    if dialect not in DIALECTS:
        raise SemanticQueryError(f"unsupported dialect {dialect!r}; use one of: {', '.join(DIALECTS)}")
    if not query.metrics:
        return compile_dimension_query(model, query, dialect)
    plan = plan_query(model, query)
    aliases = list(plan.uses)
    stacked = union_all([branch_select(model, query, b, aliases, dialect) for b in plan.branches])
    group = [_measures_column(d) for d in query.group_by]
    # No grouping: an empty period gives zero rows rather than one row of zeros.
    having = None if group else rows_exist()
    return select_node(_outer_columns(model, plan), subquery(stacked, MEASURES_ALIAS), group=group,
                       having=having, order=order_keys(query), limit=query.limit)


def _measures_column(name: str) -> exp.Column:
    return exp.column(name, table=MEASURES_ALIAS)


def _outer_columns(model: SemanticModel, plan: QueryPlan) -> list[exp.Expression]:
    dims = [aliased(_measures_column(d), d) for d in plan.query.group_by]
    metrics = [aliased(metric_expression(model, plan, m.name), m.name) for m in plan.metrics]
    return dims + metrics


def metric_expression(model: SemanticModel, plan: QueryPlan, name: str) -> exp.Expression:
    """A metric as an expression over the aggregated measure columns."""
    metric = model.metrics[name]
    if metric.type == "simple":
        # A group present in another branch only has no row here: zero, not NULL.
        total = exp.Sum(this=_measures_column(alias_of(plan, metric)))
        return exp.Coalesce(this=total, expressions=[exp.Literal.number(0)])
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


def order_keys(query: SemanticQuery) -> list[exp.Ordered]:
    """The requested order, then every remaining dimension, so ties come out the same every time."""
    keys = [(o.field, o.direction == "desc") for o in query.order_by] or _default_order(query)
    named = {field for field, _ in keys}
    keys += [(d, False) for d in query.group_by if d not in named]
    return [ordered(field, descending) for field, descending in keys]


def _default_order(query: SemanticQuery) -> list[tuple[str, bool]]:
    """Time series run forward in time; anything else ranks by its first metric."""
    if METRIC_TIME in query.group_by:
        return [(METRIC_TIME, False)]
    if query.metrics:
        return [(query.metrics[0], True)]
    return []
